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
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text

from wellflow_servicekit.problems import NotFound

from ..domain.allocation import AllocationWell, allocate
from ..domain.errors import AllocationError
from .common import Actor, Production, jsonable, month_start, next_month

_STOCK = text(
    """
    SELECT d.day, sum(last.barrels) AS stock, count(last.barrels) AS tanks_gauged
      FROM generate_series(CAST(:first AS date) - 1, CAST(:last AS date), interval '1 day') AS d(day)
      CROSS JOIN tanks tk
      LEFT JOIN LATERAL (
            SELECT tg.barrels FROM tank_gauges tg
             WHERE tg.tank_id = tk.id AND tg.gauge_date <= d.day::date
             ORDER BY tg.gauge_date DESC, tg.gauged_at DESC, tg.id DESC LIMIT 1) last ON true
     WHERE tk.battery_id = :battery AND tk.product = 'oil'
     GROUP BY d.day ORDER BY d.day
    """
)
_GAUGED_DAYS = text(
    "SELECT DISTINCT gauge_date FROM tank_gauges WHERE battery_id = :battery AND gauge_date BETWEEN :first AND :last"
)
_RUNS = text(
    """
    SELECT taken_at::date AS day, sum(gross_bbl) AS gross FROM run_tickets
     WHERE battery_id = :battery AND taken_at::date BETWEEN :first AND :last GROUP BY 1
    """
)
_WELLS = text(
    """
    SELECT bw.well_id, w.name, w.api_number, bw.effective_from, bw.effective_to,
           (SELECT t.oil_bbl_per_day FROM well_tests t WHERE t.well_id = bw.well_id AND t.test_date <= :last
             ORDER BY t.test_date DESC LIMIT 1) AS test_rate
      FROM battery_wells bw LEFT JOIN wells w ON w.id = bw.well_id
     WHERE bw.battery_id = :battery AND bw.effective_from <= :last
       AND (bw.effective_to IS NULL OR bw.effective_to > :first)
    """
)
_STATUS = text(
    """
    SELECT h.well_id, h.effective_date, h.to_status FROM well_status_history h
     WHERE h.well_id = ANY(CAST(:wells AS uuid[])) ORDER BY h.well_id, h.effective_date, h.occurred_at
    """
)
_HOURS = text(
    """
    SELECT well_id, production_date AS day, hours_on FROM readings
     WHERE well_id = ANY(CAST(:wells AS uuid[])) AND production_date BETWEEN :first AND :last
    """
)


def _status_on(history: list[tuple[date, str]], fallback: str, day: date) -> str:
    status = None
    for effective, to_status in history:
        if effective <= day:
            status = to_status
    return status or fallback


async def battery_allocation(production: Production, actor: Actor, battery_id: UUID, month: date) -> dict[str, Any]:
    first = month_start(month)
    last = next_month(first) - timedelta(days=1)
    params = {"battery": battery_id, "first": first, "last": last}
    async with production.uow(actor) as uow:
        battery = (
            (await uow.connection.execute(text("SELECT id, name, lease_id FROM batteries WHERE id = :battery"), params))
            .mappings()
            .first()
        )
        if battery is None:
            raise NotFound(f"No battery {battery_id}.")
        stock = {
            row["day"].date() if hasattr(row["day"], "date") else row["day"]: row
            for row in (await uow.connection.execute(_STOCK, params)).mappings()
        }
        gauged = {row[0] for row in await uow.connection.execute(_GAUGED_DAYS, params)}
        runs = {row["day"]: row["gross"] for row in (await uow.connection.execute(_RUNS, params)).mappings()}
        links = [dict(r) for r in (await uow.connection.execute(_WELLS, params)).mappings()]
        well_ids = sorted({link["well_id"] for link in links})
        statuses: dict[UUID, list[tuple[date, str]]] = defaultdict(list)
        for row in (await uow.connection.execute(_STATUS, {"wells": well_ids})).mappings():
            statuses[row["well_id"]].append((row["effective_date"], row["to_status"]))
        current = {
            row["id"]: row["status"]
            for row in (
                await uow.connection.execute(
                    text("SELECT id, status FROM wells WHERE id = ANY(CAST(:wells AS uuid[]))"), {"wells": well_ids}
                )
            ).mappings()
        }
        hours: dict[tuple[UUID, date], Decimal] = {
            (row["well_id"], row["day"]): row["hours_on"]
            for row in (await uow.connection.execute(_HOURS, {**params, "wells": well_ids})).mappings()
        }
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def wells_on(day_list: list[date]) -> list[AllocationWell]:
        out = []
        for link in sorted({link["well_id"]: link for link in links}.values(), key=lambda lk: lk["well_id"]):
            well_id = link["well_id"]
            on_hours = Decimal(0)
            producing_days = 0
            for day in day_list:
                connected = any(
                    lk["well_id"] == well_id
                    and lk["effective_from"] <= day
                    and (lk["effective_to"] is None or lk["effective_to"] > day)
                    for lk in links
                )
                if connected and _status_on(statuses[well_id], current.get(well_id, "unknown"), day) == "producing":
                    producing_days += 1
                    on_hours += hours.get((well_id, day), Decimal(0))
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

    def measured_between(start: date, end: date) -> Decimal | None:
        before, after = stock.get(start - timedelta(days=1)), stock.get(end)
        if before is None or after is None or after["stock"] is None:
            return None
        ran = sum((runs.get(start + timedelta(days=i), Decimal(0)) for i in range((end - start).days + 1)), Decimal(0))
        return after["stock"] - (before["stock"] or Decimal(0)) + ran

    def share(measured: Decimal | None, wells: list[AllocationWell]) -> dict[str, Any]:
        if measured is None:
            return {"measured_bbl": None, "wells": {}, "problem": "no oil tank gauge for the period"}
        if measured < 0:
            return {"measured_bbl": measured, "wells": {}, "problem": "the gauges imply negative production"}
        try:
            return {"measured_bbl": measured, "wells": allocate(measured, wells), "problem": None}
        except AllocationError as exc:
            return {"measured_bbl": measured, "wells": {}, "problem": exc.message}

    month_wells = wells_on(days)
    month_share = share(measured_between(first, last), month_wells)
    daily = []
    for day in days:
        if day not in gauged:
            continue
        day_share = share(measured_between(day, day), wells_on([day]))
        daily.append(
            {
                "day": day,
                "measured_bbl": day_share["measured_bbl"],
                "problem": day_share["problem"],
                "wells": [{"well_id": w, "oil_bbl": v} for w, v in sorted(day_share["wells"].items())],
            }
        )
    names = {link["well_id"]: (link["name"], link["api_number"]) for link in links}
    beginning, ending = stock.get(first - timedelta(days=1)), stock.get(last)
    return jsonable(
        {
            "battery_id": battery_id,
            "lease_id": battery["lease_id"],
            "month": first,
            "product": "oil",
            "beginning_stock_bbl": beginning["stock"] if beginning else None,
            "ending_stock_bbl": ending["stock"] if ending else None,
            "run_ticket_gross_bbl": sum(runs.values(), Decimal(0)),
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
