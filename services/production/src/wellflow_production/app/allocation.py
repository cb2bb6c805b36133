"""Allocation of a battery's measured oil to its wells, per day and for the month.

Measured oil (from the battery's oil tanks): ending stock - beginning stock + barrels run out, where stock
at the end of a day is each oil tank's latest gauge dated on or before it (run tickets store their opening
and closing gauges as tank observations) and barrels run out are the tickets' gross barrels (the same
observed barrels the gauges measure; their net at 60 F is what the lease-month reports as disposed).

Each well connected to the battery during the period is weighted by its latest well test on or before the
period's end x its hours on (from its daily readings) on the days it was producing, per
``domain.allocation.allocate``: a shut-in well, or a day after its status left ``producing``, gets nothing,
and the wells' shares add up exactly to the measured volume.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, jsonable

from ..domain.allocation import AllocationWell, allocate
from ..domain.errors import AllocationError
from .common import Production, month_start, next_month


def _status_on(history: list[tuple[date, str]], fallback: str, day: date) -> str:
    status = None
    for effective, to_status in history:
        if effective <= day:
            status = to_status
    return status or fallback


@dataclass
class _Battery:
    """What the allocation of one battery's month reads."""

    battery: dict[str, Any]
    stock: dict[date, dict[str, Any]]
    gauged: set[date]
    runs: dict[date, Decimal]
    links: list[dict[str, Any]]
    statuses: dict[UUID, list[tuple[date, str]]]
    current: dict[UUID, str]
    hours: dict[tuple[UUID, date], Decimal]

    def wells_on(self, day_list: list[date]) -> list[AllocationWell]:
        """Each connected well's weight over ``day_list``: its test rate and its hours on while producing."""
        out = []
        for link in sorted({lk["well_id"]: lk for lk in self.links}.values(), key=lambda lk: lk["well_id"]):
            well_id = link["well_id"]
            on_hours = Decimal(0)
            producing_days = 0
            for day in day_list:
                if self._connected(well_id, day) and self._producing(well_id, day):
                    producing_days += 1
                    on_hours += self.hours.get((well_id, day), Decimal(0))
            span = Decimal(24 * len(day_list))
            out.append(
                AllocationWell(
                    well_id=well_id,
                    test_rate=link["test_rate"] or Decimal(0),
                    # hours on over the period, scaled to the domain's 0..24 day
                    hours_on=(on_hours * 24 / span) if span else Decimal(0),
                    producing=producing_days > 0,
                )
            )
        return out

    def _connected(self, well_id: UUID, day: date) -> bool:
        return any(
            lk["well_id"] == well_id
            and lk["effective_from"] <= day
            and (lk["effective_to"] is None or lk["effective_to"] > day)
            for lk in self.links
        )

    def _producing(self, well_id: UUID, day: date) -> bool:
        return _status_on(self.statuses[well_id], self.current.get(well_id, "unknown"), day) == "producing"

    def measured_between(self, start: date, end: date) -> Decimal | None:
        before, after = self.stock.get(start - timedelta(days=1)), self.stock.get(end)
        if before is None or after is None or after["stock"] is None:
            return None
        days = (end - start).days + 1
        ran = sum((self.runs.get(start + timedelta(days=i), Decimal(0)) for i in range(days)), Decimal(0))
        return after["stock"] - (before["stock"] or Decimal(0)) + ran  # type: ignore[no-any-return]


def _share(measured: Decimal | None, wells: list[AllocationWell]) -> dict[str, Any]:
    if measured is None:
        return {"measured_bbl": None, "wells": {}, "problem": "no oil tank gauge for the period"}
    if measured < 0:
        return {"measured_bbl": measured, "wells": {}, "problem": "the gauges imply negative production"}
    try:
        return {"measured_bbl": measured, "wells": allocate(measured, wells), "problem": None}
    except AllocationError as exc:
        return {"measured_bbl": measured, "wells": {}, "problem": exc.message}


async def _read(production: Production, actor: Actor, battery_id: UUID, first: date, last: date) -> _Battery:
    period = {"battery": battery_id, "first": first, "last": last}
    async with production.uow(actor) as uow:
        battery = await uow.allocation.battery(period)
        if battery is None:
            raise NotFound(f"No battery {battery_id}.")
        stock = {
            row["day"].date() if hasattr(row["day"], "date") else row["day"]: row
            for row in await uow.allocation.stock_by_day(period)
        }
        gauged = await uow.allocation.gauged_days(period)
        runs = await uow.allocation.runs_by_day(period)
        links = await uow.allocation.connected_wells(period)
        well_ids = sorted({link["well_id"] for link in links})
        statuses: dict[UUID, list[tuple[date, str]]] = defaultdict(list)
        for row in await uow.allocation.status_histories(well_ids):
            statuses[row["well_id"]].append((row["effective_date"], row["to_status"]))
        current = await uow.allocation.current_statuses(well_ids)
        hours = {
            (row["well_id"], row["day"]): row["hours_on"] for row in await uow.allocation.hours_on(period, well_ids)
        }
    return _Battery(battery, stock, gauged, runs, links, statuses, current, hours)


async def battery_allocation(production: Production, actor: Actor, battery_id: UUID, month: date) -> dict[str, Any]:
    first = month_start(month)
    last = next_month(first) - timedelta(days=1)
    read = await _read(production, actor, battery_id, first, last)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    month_wells = read.wells_on(days)
    month_share = _share(read.measured_between(first, last), month_wells)
    daily = []
    for day in days:
        if day not in read.gauged:
            continue
        day_share = _share(read.measured_between(day, day), read.wells_on([day]))
        daily.append(
            {
                "day": day,
                "measured_bbl": day_share["measured_bbl"],
                "problem": day_share["problem"],
                "wells": [{"well_id": w, "oil_bbl": v} for w, v in sorted(day_share["wells"].items())],
            }
        )
    names = {link["well_id"]: (link["name"], link["api_number"]) for link in read.links}
    beginning, ending = read.stock.get(first - timedelta(days=1)), read.stock.get(last)
    return jsonable(  # type: ignore[no-any-return]
        {
            "battery_id": battery_id,
            "lease_id": read.battery["lease_id"],
            "month": first,
            "product": "oil",
            "beginning_stock_bbl": beginning["stock"] if beginning else None,
            "ending_stock_bbl": ending["stock"] if ending else None,
            "run_ticket_gross_bbl": sum(read.runs.values(), Decimal(0)),
            "measured_bbl": month_share["measured_bbl"],
            "problem": month_share["problem"],
            "wells": [
                {
                    "well_id": w.well_id,
                    "name": names[w.well_id][0],
                    "api_number": names[w.well_id][1],
                    "producing": w.producing,
                    "test_rate_bbl_per_day": w.test_rate,
                    "hours_on": (w.hours_on * len(days)).quantize(Decimal("0.01")),
                    "allocated_bbl": month_share["wells"].get(w.well_id, Decimal("0.00")),
                }
                for w in month_wells
            ],
            "daily": daily,
        }
    )
