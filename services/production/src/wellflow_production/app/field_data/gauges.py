"""Tank gauges: record one (barrels from the tank's strapping table) and list them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from ..common import Production, month_start, page_body
from ..idempotency import Outcome, claim_key, store_result
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
        row = await uow.tank_gauges.add(_gauge_row(actor, body, tank, gauge_date, now))
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
