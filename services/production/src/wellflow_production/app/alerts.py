"""Production alerts: the daily check (``domain.alerts`` rules over one day's data), the list a manager works
through, and acknowledgement.

The check for a day looks at every well producing that day (its effective-dated status): no reading or
zero hours; oil below expectation by the organization's percent, where the expectation is the well's
decline forecast when its history supports a fit (60 producing days or more) and its trailing average
otherwise; every oil tank gauged that day at or above the organization's share of capacity; and every
lease-month whose stock balance (beginning stock + production - run tickets) is negative; every oil tank whose
day's gauge is off its balance past the threshold, or whose gauge has not moved while its wells produced
(``app.tank_ledger``). An alert is
stored once per kind, day and subject (``dedup_key``), so running the check again, or on two replicas,
raises nothing twice; each new alert records an ``AlertRaised``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.production import AlertRaised
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, jsonable

from ..domain import alerts as rules
from ..domain.decline import fit_decline, forecast
from ..domain.errors import DeclineFitError
from . import tank_ledger
from .common import Production, month_start, page_body
from .organization import DEFAULT_DOWNTIME_REASONS, OrganizationSettings, load_settings
from .ports import ProductionWork

log = logging.getLogger(__name__)
FIT_MIN_DAYS = 60


@dataclass
class _Day:
    """What the check of one day reads: the producing wells, their daily history, the gauged oil tanks and the
    month's lease-months."""

    settings: OrganizationSettings
    producing: list[dict[str, Any]]
    history: dict[UUID, list[tuple[date, Decimal, Decimal]]]
    tanks: list[dict[str, Any]]
    months: list[dict[str, Any]]


async def run_check(production: Production, organization_id: UUID, day: date) -> list[dict[str, Any]]:
    """Raise the alerts ``day`` calls for in one organization; answers the newly raised ones."""
    actor = Actor(id="system:alert-check", organization_id=organization_id)
    async with production.uow(actor) as uow:
        settings = await load_settings(uow)
        producing = await uow.alerts.producing_wells(day)
        since = day - timedelta(days=max(settings.trailing_days, 365))
        history: dict[UUID, list[tuple[date, Decimal, Decimal]]] = defaultdict(list)
        for row in await uow.alerts.daily_history([w["id"] for w in producing], since, day):
            history[row["well_id"]].append((row["production_date"], row["oil_bbl"], row["hours_on"]))
        tanks = await uow.alerts.gauged_oil_tanks(day)
        months = await uow.alerts.lease_months(month_start(day))
        balances = await tank_ledger.tank_candidates(uow, settings, day)
    seen = _Day(settings, producing, history, tanks, months)
    candidates = [*await _well_alerts(seen, day), *_tank_alerts(seen, day), *_stock_alerts(seen, day)]
    candidates.extend(candidate for candidate, _, _ in balances)
    leases_of = {w["id"]: w["lease_id"] for w in producing}
    batteries_of = {t["id"]: (t["battery_id"], t["lease_id"]) for t in tanks}
    batteries_of.update({c.tank_id: (battery, lease) for c, battery, lease in balances if c.tank_id})
    return await _store(production, actor, candidates, leases_of, batteries_of)


async def _well_alerts(seen: _Day, day: date) -> list[rules.AlertCandidate]:
    names = {w["id"]: w["name"] for w in seen.producing}
    hours_today = {well: h for well, rows in seen.history.items() for d, _, h in rows if d == day}
    candidates = rules.missing_or_zero(day, [w["id"] for w in seen.producing], hours_today, names=names)
    for well in seen.producing:
        rows = seen.history.get(well["id"], [])
        today = [oil for d, oil, _ in rows if d == day]
        if not today or hours_today.get(well["id"]) == 0:
            continue
        expected, basis = await _expectation(rows, day, seen.settings.trailing_days)
        if expected is None:
            continue
        found = rules.below_expectation(
            well["id"], day, today[0], expected, seen.settings.below_expectation_percent, name=well["name"], basis=basis
        )
        if found is not None:
            candidates.append(found)
    return candidates


def _tank_alerts(seen: _Day, day: date) -> list[rules.AlertCandidate]:
    share = seen.settings.tank_high_percent / 100
    found = (
        rules.tank_high(
            tank["id"],
            day,
            tank["barrels"],
            tank["capacity_bbl"],
            share,
            name=f"{tank['battery']} tank {tank['number']}",
        )
        for tank in seen.tanks
    )
    return [candidate for candidate in found if candidate is not None]


def _stock_alerts(seen: _Day, day: date) -> list[rules.AlertCandidate]:
    found = (
        rules.negative_stock(
            month["lease_id"],
            day,
            month["beginning_oil_stock_bbl"] or Decimal(0),
            month["liquid_bbl"],
            month["oil_disposed_bbl"],
            name=month["name"],
        )
        for month in seen.months
    )
    return [candidate for candidate in found if candidate is not None]


async def _expectation(
    rows: list[tuple[date, Decimal, Decimal]], day: date, trailing_days: int
) -> tuple[Decimal | None, str]:
    before = [(d, oil, hours) for d, oil, hours in rows if d < day]
    producing = [(d, oil * 24 / hours) for d, oil, hours in before if hours and hours > 0 and oil > 0]
    if len(producing) >= FIT_MIN_DAYS:
        try:
            fit = await asyncio.to_thread(fit_decline, [d for d, _ in producing], [r for _, r in producing])
            if day >= fit.t0:
                return forecast(fit, day, 1)[0][1], "forecast"
        except (DeclineFitError, ValueError):
            pass
    window = [oil for d, oil, _ in before if d >= day - timedelta(days=trailing_days)]
    return rules.trailing_average(window, trailing_days), "trailing average"


async def _store(
    production: Production,
    actor: Actor,
    candidates: list[rules.AlertCandidate],
    leases_of: dict[UUID, UUID],
    batteries_of: dict[UUID, tuple[UUID, UUID | None]],
) -> list[dict[str, Any]]:
    raised = []
    now = production.clock()
    async with production.uow(actor) as uow:
        for candidate in candidates:
            subject = candidate.well_id or candidate.tank_id or candidate.lease_id
            battery_id, tank_lease = (
                batteries_of.get(candidate.tank_id, (None, None)) if candidate.tank_id else (None, None)
            )
            row = {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "kind": candidate.kind,
                "day": candidate.day,
                "well_id": candidate.well_id,
                "lease_id": candidate.lease_id or leases_of.get(candidate.well_id) or tank_lease,
                "battery_id": battery_id,
                "tank_id": candidate.tank_id,
                "dedup_key": f"{candidate.kind}:{candidate.day.isoformat()}:{subject}",
                "message": candidate.message,
                "details": dict(candidate.details),
                "raised_at": now,
            }
            if not await uow.alerts.add(row):
                continue
            uow.record(
                AlertRaised(
                    tenant_id=actor.organization_id,
                    alert_id=row["id"],
                    kind=row["kind"],
                    day=row["day"],
                    well_id=row["well_id"],
                    lease_id=row["lease_id"],
                    battery_id=row["battery_id"],
                    tank_id=row["tank_id"],
                    message=row["message"],
                    details=row["details"],
                )
            )
            raised.append(row)
        return await _with_readings(uow, raised)


def alert_body(row: dict[str, Any], reading: dict[str, Any] | None = None) -> dict[str, Any]:
    """An alert as answered; ``reading`` is the well's reading of the alert's day (None when there is none):
    the hours on and the pumper's downtime reason and comments, so the office sees the cause beside the alert."""
    body = {k: v for k, v in row.items() if k not in ("organization_id", "dedup_key")}
    body["alert_id"] = body.pop("id")
    body.setdefault("acknowledged_at", None)
    body.setdefault("acknowledged_by", None)
    body.setdefault("acknowledgement_note", None)
    body["reading"] = None
    if reading is not None:
        body["reading"] = {k: v for k, v in reading.items() if k not in ("well_id", "production_date")}
        code = reading["downtime_reason"]
        body["reading"]["downtime_reason_label"] = reading["downtime_reason_label"] or (
            DEFAULT_DOWNTIME_REASONS.get(code, code) if code else None
        )
    return jsonable(body)


async def _with_readings(uow: ProductionWork, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The alerts' bodies, each well alert with that well's reading of the day as it stands now (a correction
    the pumper made since shows)."""
    pairs = sorted({(r["well_id"], r["day"]) for r in rows if r.get("well_id")})
    found = {(r["well_id"], r["production_date"]): r for r in await uow.alerts.readings_of(pairs)}
    return [alert_body(r, found.get((r.get("well_id"), r["day"]))) for r in rows]


async def check_day(production: Production, actor: Actor, day: date) -> dict[str, Any]:
    raised = await run_check(production, actor.organization_id, day)
    return {"day": day.isoformat(), "raised": raised}


async def list_alerts(
    production: Production,
    actor: Actor,
    *,
    kind: str | None,
    well_id: UUID | None,
    lease_id: UUID | None,
    day_from: date | None,
    day_to: date | None,
    acknowledged: bool | None,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        rows = await uow.alerts.latest_first(
            kind=kind,
            well_id=well_id,
            lease_id=lease_id,
            day_from=day_from,
            day_to=day_to,
            acknowledged=acknowledged,
            offset=offset,
            limit=limit,
        )
        bodies = await _with_readings(uow, rows[:limit])
    return page_body(bodies, rows, offset=offset, limit=limit)


async def acknowledge(production: Production, actor: Actor, alert_id: UUID, note: str | None) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        row = await uow.alerts.acknowledge(alert_id, production.clock(), actor.id, note)
        if row is None:
            existing = await uow.alerts.get(alert_id)
            if existing is None:
                raise NotFound(f"No alert {alert_id}.")
            raise Conflict(
                f"Alert {alert_id} was acknowledged by {existing['acknowledged_by']} at {existing['acknowledged_at']}.",
                slug="already-acknowledged",
            )
        (body,) = await _with_readings(uow, [row])
    return body


async def check_yesterday(production: Production, now: datetime | None = None) -> int:
    """The periodic check: yesterday (UTC) for every organization production knows. Alerts are deduplicated in
    the table, so replicas may all run it; answers how many alerts were raised."""
    day = (now or production.clock()).date() - timedelta(days=1)
    async with production.system_uow() as uow:
        tenants = await uow.assets.known_organizations()
    raised = 0
    for tenant in tenants:
        try:
            raised += len(await run_check(production, tenant, day))
        except Exception:  # one organization's failure must not stop the others' alerts
            log.exception("alert check for %s on %s failed", tenant, day)
    return raised
