"""Tank batteries: their tanks (capacity, strapping table) and the wells flowing into them, effective-dated.

Every change records ``wells.battery_configured.v1`` with the battery's whole configuration, in the same
transaction. A well flows into at most one battery on any day: connection periods of one well may not overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, true, update
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.events.wells import BatteryConfigured, ConnectedWell, TankFacts
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, invalid

from ..adapters.tables import batteries, battery_wells, tanks, wells
from ..domain.errors import InvalidGauge
from ..domain.strapping import Gauge, StrappingTable
from .registry import Registry, check_field, fetch_one, fetch_page, lease_for_well


def _strapping(rows: Sequence[Sequence[Any]], field: str) -> StrappingTable:
    try:
        return StrappingTable.of([(row[0], row[1]) for row in rows])
    except InvalidGauge as exc:
        raise invalid(field, exc.message) from None


async def _battery(uow: UnitOfWork, battery_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    query = select(batteries).where(batteries.c.id == battery_id)
    if lock:
        query = query.with_for_update()
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        raise NotFound(f"No tank battery {battery_id}.")
    return dict(row)


async def _configuration(uow: UnitOfWork, battery: Mapping[str, Any]) -> dict[str, Any]:
    tank_rows = (
        (
            await uow.connection.execute(
                select(tanks).where(tanks.c.battery_id == battery["id"]).order_by(tanks.c.number)
            )
        )
        .mappings()
        .all()
    )
    well_rows = (
        (
            await uow.connection.execute(
                select(battery_wells, wells.c.api_number, wells.c.name.label("well_name"))
                .join(wells, wells.c.id == battery_wells.c.well_id)
                .where(battery_wells.c.battery_id == battery["id"])
                .order_by(battery_wells.c.effective_from, wells.c.name)
            )
        )
        .mappings()
        .all()
    )
    return {
        **battery,
        "tanks": [
            {**t, "strapping": [[Decimal(level), Decimal(bbl)] for level, bbl in t["strapping"]]} for t in tank_rows
        ],
        "wells": [dict(w) for w in well_rows],
    }


def _event(actor: Actor, config: Mapping[str, Any]) -> BatteryConfigured:
    return BatteryConfigured(
        tenant_id=actor.organization_id,
        battery_id=config["id"],
        name=config["name"],
        code=config["code"],
        lease_id=config["lease_id"],
        field_id=config["field_id"],
        tanks=[
            TankFacts(
                tank_id=t["id"],
                number=t["number"],
                product=t["product"],
                capacity_bbl=t["capacity_bbl"],
                strapping=[(level, bbl) for level, bbl in t["strapping"]],
            )
            for t in config["tanks"]
        ],
        wells=[
            ConnectedWell(
                well_id=w["well_id"],
                api_number=w["api_number"],
                effective_from=w["effective_from"],
                effective_to=w["effective_to"],
            )
            for w in config["wells"]
        ],
    )


async def _connect(
    uow: UnitOfWork, actor: Actor, battery_id: UUID, well_id: UUID, start: date, end: date | None, field: str
) -> None:
    if end is not None and end <= start:
        raise invalid(f"{field}.effective_to", "must be after effective_from")
    well = await uow.connection.scalar(select(wells.c.id).where(wells.c.id == well_id).with_for_update())
    if well is None:
        raise invalid(f"{field}.well_id", f"no well {well_id} in this organization")
    overlap = and_(
        battery_wells.c.well_id == well_id,
        or_(battery_wells.c.effective_to.is_(None), battery_wells.c.effective_to > start),
        battery_wells.c.effective_from < end if end is not None else true(),
    )
    clash = (await uow.connection.execute(select(battery_wells).where(overlap))).mappings().first()
    if clash is not None:
        raise Conflict(
            f"Well {well_id} already flows into a battery from {clash['effective_from']}"
            + (f" to {clash['effective_to']}" if clash["effective_to"] else "")
            + "; end that connection first.",
            slug="well-already-connected",
            errors=[{"field": f"{field}.well_id", "message": "connected to a battery over an overlapping period"}],
        )
    await uow.connection.execute(
        insert(battery_wells).values(
            organization_id=actor.organization_id,
            id=uuid7(),
            battery_id=battery_id,
            well_id=well_id,
            effective_from=start,
            effective_to=end,
        )
    )


async def configure_battery(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    now = registry.clock()
    tables = [_strapping(t["strapping"], f"body.tanks[{i}].strapping") for i, t in enumerate(data["tanks"])]
    for i, (tank, table) in enumerate(zip(data["tanks"], tables, strict=True)):
        if table.rows[-1][1] > tank["capacity_bbl"] * Decimal("1.05"):
            raise invalid(f"body.tanks[{i}].strapping", "the strapping table holds more than the tank's capacity")
    row = {
        "organization_id": actor.organization_id,
        "id": uuid7(),
        "name": data["name"],
        "code": data.get("code"),
        "lease_id": data.get("lease_id"),
        "field_id": data.get("field_id"),
        "status": "active",
        "created_at": now,
        "updated_at": now,
    }
    try:
        async with registry.uow(actor) as uow:
            await check_field(uow, row["field_id"])
            if row["lease_id"] is not None:
                await lease_for_well(uow, row["lease_id"])
            battery = await fetch_one(uow, insert(batteries).values(row).returning(batteries))
            for tank, table in zip(data["tanks"], tables, strict=True):
                await uow.connection.execute(
                    insert(tanks).values(
                        organization_id=actor.organization_id,
                        id=uuid7(),
                        battery_id=battery["id"],
                        number=tank["number"],
                        product=tank["product"],
                        capacity_bbl=tank["capacity_bbl"],
                        strapping=[[str(level), str(bbl)] for level, bbl in table.rows],
                    )
                )
            for i, link in enumerate(data.get("wells") or ()):
                await _connect(
                    uow,
                    actor,
                    battery["id"],
                    link["well_id"],
                    link["effective_from"],
                    link.get("effective_to"),
                    f"body.wells[{i}]",
                )
            config = await _configuration(uow, battery)
            uow.record(_event(actor, config), aggregate_key=f"wells.battery:{battery['id']}")
    except IntegrityError:
        raise Conflict(
            "A battery with this code exists, or two tanks share a number.",
            slug="duplicate-battery",
            errors=[{"field": "body.code", "message": "battery codes and tank numbers must be unique"}],
        ) from None
    return config


async def connect_well(
    registry: Registry, actor: Actor, battery_id: UUID, well_id: UUID, start: date, end: date | None
) -> dict[str, Any]:
    async with registry.uow(actor) as uow:
        battery = await _battery(uow, battery_id, lock=True)
        await _connect(uow, actor, battery_id, well_id, start, end, "body")
        config = await _configuration(uow, battery)
        uow.record(_event(actor, config), aggregate_key=f"wells.battery:{battery_id}")
    return config


async def disconnect_well(
    registry: Registry, actor: Actor, battery_id: UUID, well_id: UUID, end: date
) -> dict[str, Any]:
    async with registry.uow(actor) as uow:
        battery = await _battery(uow, battery_id, lock=True)
        open_link = (
            (
                await uow.connection.execute(
                    select(battery_wells).where(
                        battery_wells.c.battery_id == battery_id,
                        battery_wells.c.well_id == well_id,
                        battery_wells.c.effective_to.is_(None),
                    )
                )
            )
            .mappings()
            .first()
        )
        if open_link is None:
            raise NotFound(f"Well {well_id} is not connected to battery {battery_id}.")
        if end <= open_link["effective_from"]:
            raise invalid("body.effective_to", f"must be after the connection began ({open_link['effective_from']})")
        await uow.connection.execute(
            update(battery_wells).where(battery_wells.c.id == open_link["id"]).values(effective_to=end)
        )
        config = await _configuration(uow, battery)
        uow.record(_event(actor, config), aggregate_key=f"wells.battery:{battery_id}")
    return config


async def get_battery(registry: Registry, actor: Actor, battery_id: UUID) -> dict[str, Any]:
    async with registry.uow(actor) as uow:
        return await _configuration(uow, await _battery(uow, battery_id))


async def list_batteries(
    registry: Registry, actor: Actor, *, lease_id: UUID | None, limit: int, offset: int
) -> dict[str, Any]:
    query = select(batteries, func.count().over().label("_total"))
    if lease_id is not None:
        query = query.where(batteries.c.lease_id == lease_id)
    return await fetch_page(registry, actor, query.order_by(batteries.c.name, batteries.c.id), limit, offset)


async def tank_volume(
    registry: Registry, actor: Actor, battery_id: UUID, tank_id: UUID, gauge: Gauge
) -> dict[str, Any]:
    async with registry.uow(actor) as uow:
        tank = (
            (await uow.connection.execute(select(tanks).where(tanks.c.id == tank_id, tanks.c.battery_id == battery_id)))
            .mappings()
            .first()
        )
    if tank is None:
        raise NotFound(f"No tank {tank_id} in battery {battery_id}.")
    table = StrappingTable.of(tank["strapping"])
    try:
        barrels = table.barrels(gauge)
    except InvalidGauge as exc:
        raise invalid(f"query.{exc.field}", exc.message) from None
    return {
        "tank_id": tank_id,
        "feet": gauge.feet,
        "inches": gauge.inches,
        "quarters": gauge.quarters,
        "level_inches": gauge.total_inches,
        "barrels": barrels,
    }
