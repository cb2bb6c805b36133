"""Run tickets: a purchaser's ticket (gross barrels from the opening and closing gauges; net standard barrels
with each gauge corrected to 60 F at its own tank temperature, less BS&W), stored with its two gauges as tank
observations carrying their own net; read and list them.

The single-temperature request of older clients still works: without ``opening_temperature_f`` and
``closing_temperature_f`` both gauges are taken at ``observed_temperature_f``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP
from typing import Any
from uuid import UUID

from wellflow_contracts.events.production import RunTicketRecorded
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from ...domain.errors import GaugeError
from ...domain.gauging import BARRELS, TicketVolume, run_ticket_volume
from ..common import Production, lease_key, month_start, page_body
from ..idempotency import Outcome, claim_key, store_result
from ..ports import ConstraintViolated, ProductionWork
from .shared import barrels, refresh_from, tank_of

GAUGE_PARTS = ("feet", "inches", "quarters")


async def record_run_ticket(
    production: Production, actor: Actor, body: dict[str, Any], idempotency_key: str | None
) -> Outcome:
    now = production.clock()
    if body["taken_at"].date() > production.today():
        raise invalid("body.taken_at", "A run ticket cannot be dated in the future.")
    try:
        async with production.uow(actor) as uow:
            if idempotency_key:
                replay = await claim_key(
                    uow,
                    "run_ticket",
                    idempotency_key,
                    body,
                    now,
                    noun="run ticket",
                    defaulted=("production_month", "opening_temperature_f", "closing_temperature_f"),
                )
                if replay is not None:
                    return replay
            outcome = await _record(uow, actor, body, now)
            if idempotency_key:
                await store_result(uow, "run_ticket", idempotency_key, outcome)
    except ConstraintViolated:
        raise Conflict(
            f"{body['purchaser']} already has run ticket {body['ticket_number']}.",
            slug="duplicate-run-ticket",
            errors=[{"field": "body.ticket_number", "message": "already recorded for this purchaser"}],
        ) from None
    return outcome


async def _record(uow: ProductionWork, actor: Actor, body: dict[str, Any], now: datetime) -> Outcome:
    taken_at = body["taken_at"]
    month = month_start(body.get("production_month") or taken_at.date())
    tank = await _oil_tank(uow, body["tank_id"])
    opening = barrels(tank, body["opening_gauge"], "body.opening_gauge")
    closing = barrels(tank, body["closing_gauge"], "body.closing_gauge")
    if closing[1] > opening[1]:
        raise invalid("body.closing_gauge", "The closing gauge is above the opening gauge: oil was taken out.")
    volume = _volume(body, opening[1], closing[1])
    row = await uow.run_tickets.add(_ticket_row(actor, body, tank, month, volume, (opening[1], closing[1]), now))
    day = taken_at.date()
    for source, at, gauge, (level, bbl), ctl in (
        ("ticket_opening", taken_at, body["opening_gauge"], opening, volume.ctl_opening),
        ("ticket_closing", taken_at + timedelta(microseconds=1), body["closing_gauge"], closing, volume.ctl_closing),
    ):
        await uow.tank_gauges.add_observation(
            {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "battery_id": tank["battery_id"],
                "tank_id": tank["id"],
                "lease_id": tank["lease_id"],
                "gauged_at": at,
                "gauge_date": day,
                "feet": gauge["feet"],
                "inches": gauge["inches"],
                "quarters": gauge.get("quarters", 0),
                "level_inches": level,
                "barrels": bbl,
                "source": source,
                "run_ticket_id": row["id"],
                "recorded_by": actor.id,
                "entered_at": now,
                **_observation_net(row, source, bbl, ctl),
            }
        )
    await refresh_from(uow, actor, tank["lease_id"], {month, month_start(day)})
    uow.record(_event(actor, row, taken_at, month), aggregate_key=lease_key(row["lease_id"]))
    return Outcome(201, ticket_body(row))


async def _oil_tank(uow: ProductionWork, tank_id: UUID) -> dict[str, Any]:
    tank = await tank_of(uow, tank_id)
    if tank["lease_id"] is None:
        raise invalid("body.tank_id", "The tank's battery is on no lease: run tickets are reported per lease.")
    if tank["product"] != "oil":
        raise invalid("body.tank_id", "Run tickets take oil; this is a water tank.")
    return tank


def _temperatures(body: dict[str, Any]) -> tuple[Any, Any]:
    """The tank's temperature at the opening and the closing gauge (older clients: the observed one for both)."""
    observed = body["observed_temperature_f"]
    opening = body.get("opening_temperature_f")
    closing = body.get("closing_temperature_f")
    return (observed if opening is None else opening), (observed if closing is None else closing)


def _volume(body: dict[str, Any], opening_bbl: Any, closing_bbl: Any) -> TicketVolume:
    try:
        return run_ticket_volume(
            opening_bbl,
            closing_bbl,
            (body["observed_gravity_api"], body["observed_temperature_f"]),
            _temperatures(body),
            body["bsw_percent"],
            glass_hydrometer=body.get("hydrometer_correction", True),
        )
    except GaugeError as exc:
        raise invalid(f"body.{exc.field or 'gross_bbl'}", exc.message, slug="bad-run-ticket") from None


def _observation_net(row: dict[str, Any], source: str, bbl: Any, ctl: Any) -> dict[str, Any]:
    """A ticket's gauge as stock: its barrels at its own CTL, less the ticket's BS&W (domain.gauging)."""
    side = "opening" if source == "ticket_opening" else "closing"
    temperature = row[f"{side}_temperature_f"]
    # the ticket's own CTL of that gauge, so the two gauges' nets differ by the ticket's net (to 0.01 bbl)
    net = (bbl * ctl * (1 - row["bsw_percent"] / 100)).quantize(BARRELS, rounding=ROUND_HALF_UP)
    return {
        "temperature_f": temperature,
        "bsw_percent": row["bsw_percent"],
        "observed_gravity_api": row["observed_gravity_api"],
        "gravity_temperature_f": row["observed_temperature_f"],
        "api_gravity_60": row["api_gravity_60"],
        "gravity_source": "run_ticket",
        "ctl": ctl,
        "net_bbl": net,
        "net_basis": "standard",
    }


def _ticket_row(
    actor: Actor,
    body: dict[str, Any],
    tank: dict[str, Any],
    month: date,
    volume: TicketVolume,
    gauges_bbl: tuple[Any, Any],
    now: datetime,
) -> dict[str, Any]:
    opening_temperature, closing_temperature = _temperatures(body)
    return {
        "organization_id": actor.organization_id,
        "id": uuid7(),
        "ticket_number": body["ticket_number"],
        "purchaser": body["purchaser"],
        "hauler": body.get("hauler"),
        "driver": body.get("driver"),
        "lease_id": tank["lease_id"],
        "battery_id": tank["battery_id"],
        "tank_id": tank["id"],
        "taken_at": body["taken_at"],
        "production_month": month,
        "disposition_code": body.get("disposition_code", "01"),
        **{f"opening_{k}": body["opening_gauge"].get(k, 0) for k in GAUGE_PARTS},
        **{f"closing_{k}": body["closing_gauge"].get(k, 0) for k in GAUGE_PARTS},
        "opening_bbl": gauges_bbl[0],
        "closing_bbl": gauges_bbl[1],
        "gross_bbl": volume.gross_bbl,
        "observed_gravity_api": body["observed_gravity_api"],
        "observed_temperature_f": body["observed_temperature_f"],
        "opening_temperature_f": opening_temperature,
        "closing_temperature_f": closing_temperature,
        "hydrometer_correction": body.get("hydrometer_correction", True),
        "bsw_percent": body["bsw_percent"],
        "api_gravity_60": volume.api_gravity_60,
        "ctl": volume.ctl,
        "ctl_opening": volume.ctl_opening,
        "ctl_closing": volume.ctl_closing,
        "net_bbl": volume.net_bbl,
        "price_per_bbl": body.get("price_per_bbl"),
        "seal_numbers": list(body.get("seal_numbers") or []),
        "comments": body.get("comments"),
        "recorded_by": actor.id,
        "entered_at": now,
    }


def _event(actor: Actor, row: dict[str, Any], taken_at: datetime, month: date) -> RunTicketRecorded:
    return RunTicketRecorded(
        tenant_id=actor.organization_id,
        ticket_id=row["id"],
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
        price_per_bbl=row["price_per_bbl"],
        seal_numbers=row["seal_numbers"],
        recorded_by=actor.id,
        opening_temperature_f=row["opening_temperature_f"],
        closing_temperature_f=row["closing_temperature_f"],
        api_gravity_60=row["api_gravity_60"],
    )


def ticket_body(row: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in row.items() if k != "organization_id" and not k.startswith(("opening_", "closing_"))}
    for side in ("opening", "closing"):
        body[f"{side}_gauge"] = {k: row[f"{side}_{k}"] for k in GAUGE_PARTS}
        body[f"{side}_bbl"] = row[f"{side}_bbl"]
        body[f"{side}_temperature_f"] = row[f"{side}_temperature_f"]
    return jsonable(body)  # type: ignore[no-any-return]


async def get_run_ticket(production: Production, actor: Actor, ticket_id: UUID) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        row = await uow.run_tickets.get(ticket_id)
    if row is None:
        raise NotFound(f"No run ticket {ticket_id}.")
    return ticket_body(row)


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
    async with production.uow(actor) as uow:
        rows = await uow.run_tickets.latest_first(
            lease_id=lease_id,
            battery_id=battery_id,
            purchaser=purchaser,
            month=month_start(month) if month else None,
            offset=offset,
            limit=limit,
        )
    return page_body([ticket_body(r) for r in rows[:limit]], rows, offset=offset, limit=limit)
