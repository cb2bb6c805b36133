"""Tank gauges, run tickets and gas dispositions: the battery- and lease-level measurements beside the daily
well readings.

Barrels come from the tank's strapping table (``domain.gauging``); a run ticket's net barrels are corrected
to 60 F with BS&W removed from the hauler's observed gravity, temperature and BS&W. A run ticket also
stores its opening and closing gauges as tank observations (the closing one sorts just after the opening
one), so month-end stock and daily allocation see the oil leave the tank. Every write refreshes the
lease-months it moves in the same transaction: the gauge's or ticket's month, and the later months whose
beginning stock may rest on it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.events.production import RunTicketRecorded
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict, NotFound

from ..adapters.tables import batteries, gas_dispositions, lease_months, leases, run_tickets, tank_gauges, tanks
from ..domain.errors import GaugeError
from ..domain.gauging import barrels_at, gauge_inches, net_standard_volume
from . import rollups
from .common import Actor, Production, fetch_page, invalid, jsonable, lease_key, month_start, request_hash
from .readings import Outcome, claim_key, store_result


async def _tank(uow: UnitOfWork, tank_id: UUID, field: str = "body.tank_id") -> dict[str, Any]:
    row = (
        (
            await uow.connection.execute(
                select(tanks, batteries.c.lease_id)
                .join(batteries, batteries.c.id == tanks.c.battery_id)
                .where(tanks.c.id == tank_id)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise invalid(
            field, f"Tank {tank_id} is not known to production (configure its battery first).", slug="unknown-tank"
        )
    if not row["active"]:
        raise invalid(field, f"Tank {tank_id} is no longer part of its battery.", slug="inactive-tank")
    return dict(row)


def _barrels(tank: dict[str, Any], gauge: dict[str, int], field: str) -> tuple[Decimal, Decimal]:
    try:
        level = gauge_inches(gauge["feet"], gauge["inches"], gauge.get("quarters", 0))
        strapping = [(Decimal(level_), Decimal(bbl)) for level_, bbl in tank["strapping"]]
        return level, barrels_at(strapping, level)
    except GaugeError as exc:
        raise invalid(f"{field}.{exc.field}" if exc.field else field, exc.message, slug="bad-gauge") from None


async def _months_after(uow: UnitOfWork, lease_id: UUID, month: date) -> list[tuple[UUID, date]]:
    """Rollups of later months whose beginning stock may come from a gauge in ``month``."""
    rows = await uow.connection.execute(
        select(lease_months.c.month).where(lease_months.c.lease_id == lease_id, lease_months.c.month > month)
    )
    return [(lease_id, row.month) for row in rows]


async def _refresh_from(uow: UnitOfWork, actor: Actor, lease_id: UUID | None, months: set[date]) -> None:
    if lease_id is None:
        return
    keys = {(lease_id, month) for month in months}
    keys.update(await _months_after(uow, lease_id, min(months)))
    await rollups.refresh(uow, actor.organization_id, keys)


# ---------------------------------------------------------------- tank gauges


async def record_gauge(
    production: Production, actor: Actor, body: dict[str, Any], idempotency_key: str | None
) -> Outcome:
    now = production.clock()
    fingerprint = request_hash(body)
    gauge_date = body.get("gauge_date") or body["gauged_at"].date()
    if gauge_date > production.today():
        raise invalid("body.gauge_date", "A gauge cannot close a day that has not happened yet.")
    async with production.uow(actor) as uow:
        if idempotency_key:
            replay = await claim_key(uow, actor, "tank_gauge", idempotency_key, fingerprint, now)
            if replay is not None:
                return replay
        tank = await _tank(uow, body["tank_id"])
        level, barrels = _barrels(tank, body, "body")
        row = {
            "organization_id": actor.organization_id,
            "id": uuid7(),
            "battery_id": tank["battery_id"],
            "tank_id": tank["id"],
            "lease_id": tank["lease_id"],
            "gauged_at": body["gauged_at"],
            "gauge_date": gauge_date,
            "feet": body["feet"],
            "inches": body["inches"],
            "quarters": body.get("quarters", 0),
            "level_inches": level,
            "barrels": barrels,
            "bottom_water_inches": body.get("bottom_water_inches"),
            "temperature_f": body.get("temperature_f"),
            "source": "gauge",
            "run_ticket_id": None,
            "recorded_by": actor.id,
            "entered_at": now,
            "comments": body.get("comments"),
        }
        row = dict(
            (await uow.connection.execute(insert(tank_gauges).values(row).returning(tank_gauges))).mappings().one()
        )
        await _refresh_from(uow, actor, tank["lease_id"], {month_start(gauge_date)})
        outcome = Outcome(201, gauge_body(row, tank))
        if idempotency_key:
            await store_result(uow, "tank_gauge", idempotency_key, outcome)
    return outcome


def gauge_body(row: dict[str, Any], tank: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {k: v for k, v in row.items() if k != "organization_id"}
    if tank is not None:
        body["capacity_bbl"] = tank["capacity_bbl"]
        body["tank_number"] = tank["number"]
    return jsonable(body)


async def list_gauges(
    production: Production,
    actor: Actor,
    *,
    battery_id: UUID | None,
    tank_id: UUID | None,
    date_from: date | None,
    date_to: date | None,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    query = select(tank_gauges).order_by(tank_gauges.c.gauged_at.desc(), tank_gauges.c.id.desc()).offset(offset)
    for column, value in ((tank_gauges.c.battery_id, battery_id), (tank_gauges.c.tank_id, tank_id)):
        if value is not None:
            query = query.where(column == value)
    if date_from is not None:
        query = query.where(tank_gauges.c.gauge_date >= date_from)
    if date_to is not None:
        query = query.where(tank_gauges.c.gauge_date <= date_to)
    async with production.uow(actor) as uow:
        rows = await fetch_page(uow, query, limit)
    return {
        "items": [gauge_body(r) for r in rows[:limit]],
        "has_more": len(rows) > limit,
        "offset": offset,
        "limit": limit,
    }


# ---------------------------------------------------------------- run tickets


async def record_run_ticket(
    production: Production, actor: Actor, body: dict[str, Any], idempotency_key: str | None
) -> Outcome:
    now = production.clock()
    fingerprint = request_hash(body)
    taken_at = body["taken_at"]
    if taken_at.date() > production.today():
        raise invalid("body.taken_at", "A run ticket cannot be dated in the future.")
    month = month_start(body.get("production_month") or taken_at.date())
    try:
        async with production.uow(actor) as uow:
            if idempotency_key:
                replay = await claim_key(uow, actor, "run_ticket", idempotency_key, fingerprint, now)
                if replay is not None:
                    return replay
            tank = await _tank(uow, body["tank_id"])
            if tank["lease_id"] is None:
                raise invalid("body.tank_id", "The tank's battery is on no lease: run tickets are reported per lease.")
            if tank["product"] != "oil":
                raise invalid("body.tank_id", "Run tickets take oil; this is a water tank.")
            opening_level, opening_bbl = _barrels(tank, body["opening_gauge"], "body.opening_gauge")
            closing_level, closing_bbl = _barrels(tank, body["closing_gauge"], "body.closing_gauge")
            if closing_bbl > opening_bbl:
                raise invalid("body.closing_gauge", "The closing gauge is above the opening gauge: oil was taken out.")
            try:
                volume = net_standard_volume(
                    opening_bbl - closing_bbl,
                    body["observed_gravity_api"],
                    body["observed_temperature_f"],
                    body["bsw_percent"],
                )
            except GaugeError as exc:
                raise invalid(f"body.{exc.field or 'gross_bbl'}", exc.message, slug="bad-run-ticket") from None
            ticket_id = uuid7()
            row = {
                "organization_id": actor.organization_id,
                "id": ticket_id,
                "ticket_number": body["ticket_number"],
                "purchaser": body["purchaser"],
                "hauler": body.get("hauler"),
                "driver": body.get("driver"),
                "lease_id": tank["lease_id"],
                "battery_id": tank["battery_id"],
                "tank_id": tank["id"],
                "taken_at": taken_at,
                "production_month": month,
                "disposition_code": body.get("disposition_code", "01"),
                **{f"opening_{k}": body["opening_gauge"].get(k, 0) for k in ("feet", "inches", "quarters")},
                **{f"closing_{k}": body["closing_gauge"].get(k, 0) for k in ("feet", "inches", "quarters")},
                "opening_bbl": opening_bbl,
                "closing_bbl": closing_bbl,
                "gross_bbl": volume.gross_bbl,
                "observed_gravity_api": body["observed_gravity_api"],
                "observed_temperature_f": body["observed_temperature_f"],
                "bsw_percent": body["bsw_percent"],
                "api_gravity_60": volume.api_gravity_60,
                "ctl": volume.ctl,
                "net_bbl": volume.net_bbl,
                "seal_numbers": list(body.get("seal_numbers") or []),
                "comments": body.get("comments"),
                "recorded_by": actor.id,
                "entered_at": now,
            }
            row = dict(
                (await uow.connection.execute(insert(run_tickets).values(row).returning(run_tickets))).mappings().one()
            )
            day = taken_at.date()
            for source, at, gauge, level, barrels in (
                ("ticket_opening", taken_at, body["opening_gauge"], opening_level, opening_bbl),
                (
                    "ticket_closing",
                    taken_at + timedelta(microseconds=1),
                    body["closing_gauge"],
                    closing_level,
                    closing_bbl,
                ),
            ):
                await uow.connection.execute(
                    insert(tank_gauges).values(
                        organization_id=actor.organization_id,
                        id=uuid7(),
                        battery_id=tank["battery_id"],
                        tank_id=tank["id"],
                        lease_id=tank["lease_id"],
                        gauged_at=at,
                        gauge_date=day,
                        feet=gauge["feet"],
                        inches=gauge["inches"],
                        quarters=gauge.get("quarters", 0),
                        level_inches=level,
                        barrels=barrels,
                        source=source,
                        run_ticket_id=ticket_id,
                        recorded_by=actor.id,
                        entered_at=now,
                    )
                )
            await _refresh_from(uow, actor, tank["lease_id"], {month, month_start(day)})
            uow.record(
                RunTicketRecorded(
                    tenant_id=actor.organization_id,
                    ticket_id=ticket_id,
                    ticket_number=row["ticket_number"],
                    lease_id=row["lease_id"],
                    battery_id=row["battery_id"],
                    tank_id=row["tank_id"],
                    taken_at=taken_at,
                    production_month=month,
                    disposition_code=row["disposition_code"],
                    gross_bbl=row["gross_bbl"],
                    net_bbl=row["net_bbl"],
                    observed_gravity_api=row["observed_gravity_api"],
                    observed_temperature_f=row["observed_temperature_f"],
                    bsw_percent=row["bsw_percent"],
                    purchaser=row["purchaser"],
                    seal_numbers=row["seal_numbers"],
                    recorded_by=actor.id,
                ),
                aggregate_key=lease_key(row["lease_id"]),
            )
            outcome = Outcome(201, ticket_body(row))
            if idempotency_key:
                await store_result(uow, "run_ticket", idempotency_key, outcome)
    except IntegrityError:
        raise Conflict(
            f"{body['purchaser']} already has run ticket {body['ticket_number']}.",
            slug="duplicate-run-ticket",
            errors=[{"field": "body.ticket_number", "message": "already recorded for this purchaser"}],
        ) from None
    return outcome


def ticket_body(row: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in row.items() if k != "organization_id" and not k.startswith(("opening_", "closing_"))}
    for side in ("opening", "closing"):
        body[f"{side}_gauge"] = {k: row[f"{side}_{k}"] for k in ("feet", "inches", "quarters")}
        body[f"{side}_bbl"] = row[f"{side}_bbl"]
    return jsonable(body)


async def get_run_ticket(production: Production, actor: Actor, ticket_id: UUID) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        row = (
            (await uow.connection.execute(select(run_tickets).where(run_tickets.c.id == ticket_id))).mappings().first()
        )
    if row is None:
        raise NotFound(f"No run ticket {ticket_id}.")
    return ticket_body(dict(row))


async def list_run_tickets(
    production: Production,
    actor: Actor,
    *,
    lease_id: UUID | None,
    battery_id: UUID | None,
    purchaser: str | None,
    month: date | None,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    query = select(run_tickets).order_by(run_tickets.c.taken_at.desc(), run_tickets.c.id.desc()).offset(offset)
    for column, value in (
        (run_tickets.c.lease_id, lease_id),
        (run_tickets.c.battery_id, battery_id),
        (run_tickets.c.purchaser, purchaser),
        (run_tickets.c.production_month, month_start(month) if month else None),
    ):
        if value is not None:
            query = query.where(column == value)
    async with production.uow(actor) as uow:
        rows = await fetch_page(uow, query, limit)
    return {
        "items": [ticket_body(r) for r in rows[:limit]],
        "has_more": len(rows) > limit,
        "offset": offset,
        "limit": limit,
    }


# ---------------------------------------------------------------- gas dispositions


async def record_gas_disposition(production: Production, actor: Actor, body: dict[str, Any]) -> dict[str, Any]:
    day = body.get("day")
    month = month_start(day or body["month"])
    if (day or month) > production.today():
        raise invalid("body.day" if day else "body.month", "Gas cannot be disposed of in the future.")
    async with production.uow(actor) as uow:
        lease = await uow.connection.scalar(select(leases.c.id).where(leases.c.id == body["lease_id"]))
        if lease is None:
            raise invalid(
                "body.lease_id", f"Lease {body['lease_id']} is not known to production.", slug="unknown-lease"
            )
        row = {
            "organization_id": actor.organization_id,
            "id": uuid7(),
            "lease_id": body["lease_id"],
            "month": month,
            "day": day,
            "code": body["code"],
            "mcf": body["mcf"],
            "authority": body.get("authority"),
            "meter_id": body.get("meter_id"),
            "purchaser": body.get("purchaser"),
            "comments": body.get("comments"),
            "recorded_by": actor.id,
            "entered_at": production.clock(),
        }
        row = dict(
            (await uow.connection.execute(insert(gas_dispositions).values(row).returning(gas_dispositions)))
            .mappings()
            .one()
        )
        await rollups.refresh(uow, actor.organization_id, [(row["lease_id"], month)])
    return jsonable({k: v for k, v in row.items() if k != "organization_id"})


async def list_gas_dispositions(
    production: Production, actor: Actor, *, lease_id: UUID | None, month: date | None, offset: int, limit: int
) -> dict[str, Any]:
    query = (
        select(gas_dispositions)
        .order_by(gas_dispositions.c.month.desc(), gas_dispositions.c.day.desc().nulls_last(), gas_dispositions.c.id)
        .offset(offset)
    )
    if lease_id is not None:
        query = query.where(gas_dispositions.c.lease_id == lease_id)
    if month is not None:
        query = query.where(gas_dispositions.c.month == month_start(month))
    async with production.uow(actor) as uow:
        rows = await fetch_page(uow, query, limit)
    items = [jsonable({k: v for k, v in r.items() if k != "organization_id"}) for r in rows[:limit]]
    return {"items": items, "has_more": len(rows) > limit, "offset": offset, "limit": limit}


async def delete_gas_disposition(production: Production, actor: Actor, disposition_id: UUID) -> None:
    async with production.uow(actor) as uow:
        row = (
            (
                await uow.connection.execute(
                    delete(gas_dispositions).where(gas_dispositions.c.id == disposition_id).returning(gas_dispositions)
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound(f"No gas disposition {disposition_id}.")
        await rollups.refresh(uow, actor.organization_id, [(row["lease_id"], row["month"])])
