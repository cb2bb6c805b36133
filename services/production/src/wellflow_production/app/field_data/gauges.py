"""Tank gauges: record one (gross barrels from the tank's strapping table, net standard barrels at 60 F less
BS&W) and list them.

The net needs the tank's temperature and the oil's gravity at 60 F: the gauge's own sample when one was taken
(``gravity_source`` 'observed', Table 5A; a glass hydrometer reading, corrected for the glass), otherwise the
latest run ticket's on the tank or else on the lease ('run_ticket'). A gauge without a temperature, or on a
tank whose oil has no known gravity yet, is accepted: its net is the gross (less BS&W when sampled),
``net_basis`` says why it is uncorrected ('no_temperature', 'no_gravity'), and the Form PR draft warns about
it, naming the tank and the date, when it is month stock."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from ...domain.errors import GaugeError
from ...domain.gauging import api_gravity_at_60, tank_volume
from ..common import Production, month_start, page_body
from ..idempotency import Outcome, claim_key, store_result
from ..ports import ProductionWork
from .shared import barrels, refresh_from, tank_of


async def record_gauge(
    production: Production, actor: Actor, body: dict[str, Any], idempotency_key: str | None
) -> Outcome:
    now = production.clock()
    gauge_date = body.get("gauge_date") or body["gauged_at"].date()
    if gauge_date > production.today():
        raise invalid("body.gauge_date", "A gauge cannot close a day that has not happened yet.")
    async with production.uow(actor) as uow:
        if idempotency_key:
            replay = await claim_key(
                uow, "tank_gauge", idempotency_key, body, now, noun="tank gauge", defaulted=("gauge_date",)
            )
            if replay is not None:
                return replay
        tank = await tank_of(uow, body["tank_id"])
        row = _gauge_row(actor, body, tank, gauge_date, now)
        row.update(await _net(uow, body, tank, row["barrels"]))
        row = await uow.tank_gauges.add(row)
        await refresh_from(uow, actor, tank["lease_id"], {month_start(gauge_date)})
        outcome = Outcome(201, gauge_body(row, tank))
        if idempotency_key:
            await store_result(uow, "tank_gauge", idempotency_key, outcome)
    return outcome


def _gauge_row(
    actor: Actor, body: dict[str, Any], tank: dict[str, Any], gauge_date: date, now: datetime
) -> dict[str, Any]:
    level, bbl = barrels(tank, body, "body")
    return {
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
        "barrels": bbl,
        "bottom_water_inches": body.get("bottom_water_inches"),
        "temperature_f": body.get("temperature_f"),
        "source": "gauge",
        "run_ticket_id": None,
        "recorded_by": actor.id,
        "entered_at": now,
        "comments": body.get("comments"),
    }


async def _net(uow: ProductionWork, body: dict[str, Any], tank: dict[str, Any], gross: Decimal) -> dict[str, Any]:
    """The gauge's gravity (observed or from the latest run ticket), CTL and net, and the basis of the net."""
    temperature = body.get("temperature_f")
    observed = body.get("observed_gravity_api")
    gravity_temperature = body.get("gravity_temperature_f")
    try:
        if observed is not None:
            at = gravity_temperature if gravity_temperature is not None else temperature
            if at is None:
                raise invalid("body.gravity_temperature_f", "Give the sample's temperature with its gravity.")
            api60 = api_gravity_at_60(observed, at, glass_hydrometer=True)
            source = "observed"
        else:
            api60 = await uow.tank_gauges.ticket_gravity(tank["id"], tank["lease_id"])
            source = "run_ticket" if api60 is not None else "none"
        volume = tank_volume(gross, api60, temperature, body.get("bsw_percent"))
    except GaugeError as exc:
        raise invalid(f"body.{exc.field or 'temperature_f'}", exc.message, slug="bad-gauge") from None
    basis = "no_temperature" if temperature is None else ("standard" if volume.ctl is not None else "no_gravity")
    return {
        "bsw_percent": body.get("bsw_percent"),
        "observed_gravity_api": observed,
        "gravity_temperature_f": gravity_temperature if observed is not None else None,
        "api_gravity_60": api60,
        "gravity_source": source,
        "ctl": volume.ctl,
        "net_bbl": volume.net_bbl,
        "net_basis": basis,
    }


def gauge_body(row: dict[str, Any], tank: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {k: v for k, v in row.items() if k != "organization_id"}
    if tank is not None:
        body["capacity_bbl"] = tank["capacity_bbl"]
        body["tank_number"] = tank["number"]
    return jsonable(body)  # type: ignore[no-any-return]


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
    async with production.uow(actor) as uow:
        rows = await uow.tank_gauges.latest_first(
            battery_id=battery_id, tank_id=tank_id, date_from=date_from, date_to=date_to, offset=offset, limit=limit
        )
    return page_body([gauge_body(r) for r in rows[:limit]], rows, offset=offset, limit=limit)
