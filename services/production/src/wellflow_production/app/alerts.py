"""Production alerts: the daily check (``domain.alerts`` rules over one day's data), the list a manager works
through, and acknowledgement.

The check for a day looks at every well producing that day (its effective-dated status): no reading or
zero hours; oil below expectation by the organization's percent, where the expectation is the well's
decline forecast when its history supports a fit (60 producing days or more) and its trailing average
otherwise; every oil tank gauged that day at or above the organization's share of capacity; and every
lease-month whose stock balance (beginning stock + production - run tickets) is negative. An alert is
stored once per kind, day and subject (``dedup_key``), so running the check again, or on two replicas,
raises nothing twice; each new alert records an ``AlertRaised``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_contracts.events.production import AlertRaised
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.problems import Conflict, NotFound

from ..adapters.tables import alerts, known_organizations
from ..domain import alerts as rules
from ..domain.decline import fit_decline, forecast
from ..domain.errors import DeclineFitError
from .common import Actor, Production, jsonable, month_start
from .organization import load_settings

log = logging.getLogger(__name__)
FIT_MIN_DAYS = 60

_PRODUCING_WELLS = text(
    """
    SELECT w.id, w.name, w.lease_id FROM wells w
     WHERE coalesce((SELECT h.to_status FROM well_status_history h
                      WHERE h.well_id = w.id AND h.effective_date <= :day
                      ORDER BY h.effective_date DESC, h.occurred_at DESC LIMIT 1), w.status) = 'producing'
    """
)
_HISTORY = text(
    """
    SELECT well_id, production_date, oil_bbl, hours_on FROM readings
     WHERE production_date BETWEEN :since AND :day AND well_id = ANY(CAST(:wells AS uuid[]))
     ORDER BY well_id, production_date
    """
)
_TANKS = text(
    """
    SELECT DISTINCT ON (tk.id) tk.id, tk.number, tk.capacity_bbl, b.name AS battery, b.lease_id, tk.battery_id,
           tg.barrels
      FROM tanks tk JOIN batteries b ON b.id = tk.battery_id
      JOIN tank_gauges tg ON tg.tank_id = tk.id AND tg.gauge_date = :day
     WHERE tk.active AND tk.product = 'oil'
     ORDER BY tk.id, tg.gauged_at DESC, tg.id DESC
    """
)
_LEASE_MONTHS = text(
    """
    SELECT lm.lease_id, l.name, lm.beginning_oil_stock_bbl, lm.liquid_bbl, lm.oil_disposed_bbl
      FROM lease_months lm LEFT JOIN leases l ON l.id = lm.lease_id WHERE lm.month = :month
    """
)


async def run_check(production: Production, organization_id: UUID, day: date) -> list[dict[str, Any]]:
    """Raise the alerts ``day`` calls for in one organization; answers the newly raised ones."""
    actor = Actor(id="system:alert-check", organization_id=organization_id)
    async with production.uow(actor) as uow:
        settings = await load_settings(uow)
        producing = [dict(r) for r in (await uow.connection.execute(_PRODUCING_WELLS, {"day": day})).mappings()]
        well_ids = [w["id"] for w in producing]
        since = day - timedelta(days=max(settings.trailing_days, 365))
        history: dict[UUID, list[tuple[date, Decimal, Decimal]]] = defaultdict(list)
        for row in (await uow.connection.execute(_HISTORY, {"since": since, "day": day, "wells": well_ids})).mappings():
            history[row["well_id"]].append((row["production_date"], row["oil_bbl"], row["hours_on"]))
        tanks = [dict(r) for r in (await uow.connection.execute(_TANKS, {"day": day})).mappings()]
        months = [
            dict(r) for r in (await uow.connection.execute(_LEASE_MONTHS, {"month": month_start(day)})).mappings()
        ]

    names = {w["id"]: w["name"] for w in producing}
    hours_today = {well: h for well, rows in history.items() for d, _, h in rows if d == day}
    candidates = rules.missing_or_zero(day, well_ids, hours_today, names=names)
    for well in producing:
        rows = history.get(well["id"], [])
        today = [oil for d, oil, _ in rows if d == day]
        if not today or hours_today.get(well["id"]) == 0:
            continue
        expected, basis = await _expectation(rows, day, settings.trailing_days)
        if expected is None:
            continue
        found = rules.below_expectation(
            well["id"], day, today[0], expected, settings.below_expectation_percent, name=well["name"], basis=basis
        )
        if found is not None:
            candidates.append(found)
    share = settings.tank_high_percent / 100
    for tank in tanks:
        found = rules.tank_high(
            tank["id"],
            day,
            tank["barrels"],
            tank["capacity_bbl"],
            share,
            name=f"{tank['battery']} tank {tank['number']}",
        )
        if found is not None:
            candidates.append(found)
    for month in months:
        found = rules.negative_stock(
            month["lease_id"],
            day,
            month["beginning_oil_stock_bbl"] or Decimal(0),
            month["liquid_bbl"],
            month["oil_disposed_bbl"],
            name=month["name"],
        )
        if found is not None:
            candidates.append(found)
    leases_of = {w["id"]: w["lease_id"] for w in producing}
    batteries_of = {t["id"]: (t["battery_id"], t["lease_id"]) for t in tanks}
    return await _store(production, actor, candidates, leases_of, batteries_of)


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
            inserted = await uow.connection.execute(
                pg_insert(alerts).values(row).on_conflict_do_nothing().returning(alerts.c.id)
            )
            if inserted.first() is None:
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
            raised.append(alert_body(row))
    return raised


def alert_body(row: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in row.items() if k not in ("organization_id", "dedup_key")}
    body["alert_id"] = body.pop("id")
    body.setdefault("acknowledged_at", None)
    body.setdefault("acknowledged_by", None)
    body.setdefault("acknowledgement_note", None)
    return jsonable(body)


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
    query = select(alerts).order_by(alerts.c.day.desc(), alerts.c.id.desc()).offset(offset).limit(limit + 1)
    for column, value in ((alerts.c.kind, kind), (alerts.c.well_id, well_id), (alerts.c.lease_id, lease_id)):
        if value is not None:
            query = query.where(column == value)
    if day_from is not None:
        query = query.where(alerts.c.day >= day_from)
    if day_to is not None:
        query = query.where(alerts.c.day <= day_to)
    if acknowledged is not None:
        query = query.where(
            alerts.c.acknowledged_at.is_not(None) if acknowledged else alerts.c.acknowledged_at.is_(None)
        )
    async with production.uow(actor) as uow:
        rows = (await uow.connection.execute(query)).mappings().all()
    return {
        "items": [alert_body(dict(r)) for r in rows[:limit]],
        "has_more": len(rows) > limit,
        "offset": offset,
        "limit": limit,
    }


async def acknowledge(production: Production, actor: Actor, alert_id: UUID, note: str | None) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        row = (
            (
                await uow.connection.execute(
                    update(alerts)
                    .where(alerts.c.id == alert_id, alerts.c.acknowledged_at.is_(None))
                    .values(acknowledged_at=production.clock(), acknowledged_by=actor.id, acknowledgement_note=note)
                    .returning(alerts)
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            existing = (await uow.connection.execute(select(alerts).where(alerts.c.id == alert_id))).mappings().first()
            if existing is None:
                raise NotFound(f"No alert {alert_id}.")
            raise Conflict(
                f"Alert {alert_id} was acknowledged by {existing['acknowledged_by']} at {existing['acknowledged_at']}.",
                slug="already-acknowledged",
            )
    return alert_body(dict(row))


class AlertScheduler:
    """Runs the check for yesterday (UTC) for every organization production knows, every ``interval``
    seconds (0: never). Alerts are deduplicated in the table, so replicas may all run it."""

    def __init__(self, production: Production, *, interval: float) -> None:
        self.production = production
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.interval > 0:
            self._task = asyncio.create_task(self._loop(), name="production-alert-check")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_once(self, now: datetime | None = None) -> int:
        day = (now or self.production.clock()).date() - timedelta(days=1)
        async with self.production.database.unit_of_work(None) as uow:
            tenants = [row[0] for row in await uow.connection.execute(select(known_organizations.c.tenant_id))]
        raised = 0
        for tenant in tenants:
            try:
                raised += len(await run_check(self.production, tenant, day))
            except Exception:  # one organization's failure must not stop the others' alerts
                log.exception("alert check for %s on %s failed", tenant, day)
        return raised

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.run_once()
            except Exception:
                log.exception("the periodic alert check failed")
