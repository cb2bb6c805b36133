"""Tank balance: each oil tank's daily balance (``domain.tank_ledger``) for a date range, the alarms the daily
check raises from it (one per tank and day: ``tank_balance_gap``, ``tank_gauge_stale``), and the list of open
tank alarms a manager works through.

The same loader serves one tank (the API), every tank of an organization (the alert check) and the benchmark:
six queries whatever the number of tanks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from ..domain import alerts as rules
from ..domain.tank_ledger import DayBalance, Gauge, Threshold, Ticket, daily_balance
from .common import Production, page_body
from .organization import OrganizationSettings, load_settings
from .ports import ProductionWork

MAX_DAYS = 366
TANK_ALARM_KINDS = (rules.TANK_BALANCE_GAP, rules.TANK_GAUGE_STALE)


@dataclass(frozen=True)
class TankHistory:
    """What one tank's balance is computed from, as loaded."""

    tank: dict[str, Any]
    anchor: Gauge | None
    gauges: list[Gauge]
    tickets: list[dict[str, Any]]
    production: dict[date, Decimal]
    last_change: date | None


def threshold_of(settings: OrganizationSettings) -> Threshold:
    return Threshold(
        floor_bbl=settings.tank_gap_floor_bbl,
        capacity_percent=settings.tank_gap_capacity_percent,
        stale_days=settings.tank_stale_days,
    )


async def load_histories(
    uow: ProductionWork, tanks: list[dict[str, Any]], first: date, last: date
) -> dict[UUID, TankHistory]:
    """The histories of ``tanks`` (rows of ``oil_tanks``) for the days ``first`` to ``last``."""
    if not tanks:
        return {}
    ids = [t["id"] for t in tanks]
    anchors = {
        r["tank_id"]: Gauge(r["gauged_at"], r["gauge_date"], r["barrels"])
        for r in await uow.tank_ledger.anchors(ids, first)
    }
    gauges: dict[UUID, list[Gauge]] = defaultdict(list)
    for r in await uow.tank_ledger.gauges(ids, first, last):
        gauges[r["tank_id"]].append(Gauge(r["gauged_at"], r["gauge_date"], r["barrels"]))
    # tickets before the window matter only after an anchor; a tank with none needs the window's own (with a
    # margin: a ticket's day is its local date, its time UTC)
    window_start = datetime.combine(first - timedelta(days=2), time.min, tzinfo=UTC)
    since = min([a.gauged_at for a in anchors.values()] + [window_start])
    tickets: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for r in await uow.tank_ledger.tickets(ids, since, last):
        tickets[r["tank_id"]].append(r)
    after = min((a.day for a in anchors.values()), default=first - timedelta(days=1))
    after = min(after, first - timedelta(days=1))
    oil: dict[UUID, dict[date, Decimal]] = defaultdict(dict)
    for r in await uow.tank_ledger.battery_oil(sorted({t["battery_id"] for t in tanks}), after, last):
        oil[r["battery_id"]][r["production_date"]] = r["oil_bbl"]
    changes = await uow.tank_ledger.last_changes(ids, first)
    return {
        t["id"]: TankHistory(
            t, anchors.get(t["id"]), gauges[t["id"]], tickets[t["id"]], oil[t["battery_id"]], changes.get(t["id"])
        )
        for t in tanks
    }


def balance_of(history: TankHistory, first: date, last: date, threshold: Threshold) -> list[DayBalance]:
    anchor = history.anchor
    return daily_balance(
        first,
        last,
        capacity_bbl=history.tank["capacity_bbl"],
        shared=history.tank["shared"],
        anchor=anchor,
        gauges=history.gauges,
        tickets=[
            Ticket(t["taken_at"], t["day"], t["gross_bbl"], rejected=t["rejected"])
            for t in history.tickets
            if anchor is None or t["taken_at"] > anchor.gauged_at
        ],
        production=history.production,
        threshold=threshold,
        last_change=history.last_change,
    )


def _day_body(row: DayBalance) -> dict[str, Any]:
    return {
        "day": row.day,
        "production_bbl": row.production_bbl,
        "tickets_bbl": row.tickets_bbl,
        "rejected_bbl": row.rejected_bbl,
        "expected_low_bbl": row.expected_low_bbl,
        "expected_high_bbl": row.expected_high_bbl,
        "gauged_bbl": row.gauged_bbl,
        "gap_bbl": row.gap_bbl,
        "threshold_bbl": row.threshold_bbl,
        "alarm": row.alarm,
        "stale": row.stale,
        "unchanged_days": row.unchanged_days,
    }


async def tank_daily_balance(production: Production, actor: Actor, tank_id: UUID, first: date, last: date) -> Any:
    """One oil tank's balance for each day from ``first`` to ``last``; 404 for a tank this organization lacks."""
    if last < first:
        raise invalid("query.to", "`to` is before `from`")
    if (last - first).days >= MAX_DAYS:
        raise invalid("query.to", f"at most {MAX_DAYS} days at once")
    async with production.uow(actor) as uow:
        settings = await load_settings(uow)
        tanks = await uow.tank_ledger.oil_tanks([tank_id])
        if not tanks:
            raise NotFound(f"No active oil tank {tank_id}.")
        history = (await load_histories(uow, tanks, first, last))[tank_id]
    threshold = threshold_of(settings)
    days = balance_of(history, first, last, threshold)
    tank = tanks[0]
    return jsonable(
        {
            "tank_id": tank_id,
            "tank_number": tank["number"],
            "battery_id": tank["battery_id"],
            "battery": tank["battery"],
            "lease_id": tank["lease_id"],
            "lease": tank["lease"],
            "capacity_bbl": tank["capacity_bbl"],
            "shared": tank["shared"],
            "rule": {
                "floor_bbl": threshold.floor_bbl,
                "capacity_percent": threshold.capacity_percent,
                "stale_days": threshold.stale_days,
            },
            "days": [_day_body(d) for d in days],
        }
    )


def candidates_for(tank: dict[str, Any], row: DayBalance, threshold: Threshold) -> list[rules.AlertCandidate]:
    """The alarms one tank-day calls for."""
    label = f"{tank['lease'] or tank['battery']} tank {tank['number']}"
    found: list[rules.AlertCandidate] = []
    if row.alarm and row.gap_bbl is not None and row.threshold_bbl is not None and row.gauged_bbl is not None:
        low, high = row.expected_low_bbl, row.expected_high_bbl
        assert low is not None and high is not None  # a gauged day with an anchor always has its range
        found.append(
            rules.tank_balance_gap(
                tank["id"], row.day, row.gauged_bbl, low, high, row.gap_bbl, row.threshold_bbl, name=label
            )
        )
    if row.stale and row.unchanged_days is not None:
        found.append(rules.tank_gauge_stale(tank["id"], row.day, row.unchanged_days, threshold.stale_days, name=label))
    return found


async def tank_candidates(uow: ProductionWork, settings: OrganizationSettings, day: date) -> list[Any]:
    """Every active oil tank's alarms for ``day``, with the tank's battery and lease for storing them."""
    tanks = await uow.tank_ledger.oil_tanks()
    histories = await load_histories(uow, tanks, day, day)
    threshold = threshold_of(settings)
    found = []
    for tank in tanks:
        (row,) = balance_of(histories[tank["id"]], day, day, threshold)
        for candidate in candidates_for(tank, row, threshold):
            found.append((candidate, tank["battery_id"], tank["lease_id"]))
    return found


async def open_tank_alarms(
    production: Production, actor: Actor, *, lease_id: UUID | None, offset: int, limit: int
) -> dict[str, Any]:
    """Tank alarms not acknowledged yet, the latest day first."""
    async with production.uow(actor) as uow:
        rows = await uow.alerts.latest_first(
            kind=None,
            kinds=TANK_ALARM_KINDS,
            well_id=None,
            lease_id=lease_id,
            day_from=None,
            day_to=None,
            acknowledged=False,
            offset=offset,
            limit=limit,
        )
    items = [jsonable({k: v for k, v in r.items() if k not in ("organization_id", "dedup_key")}) for r in rows[:limit]]
    for item in items:
        item["alert_id"] = item.pop("id")
    return page_body(items, rows, offset=offset, limit=limit)
