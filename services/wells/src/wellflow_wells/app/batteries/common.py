"""What the battery use cases share: the strapping check, the configuration and its event, and connecting
a well over a period that overlaps none of its other connections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_contracts.events.wells import BatteryConfigured, ConnectedWell, TankFacts
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, invalid

from ...domain.errors import InvalidGauge
from ...domain.strapping import StrappingTable
from ..ports import Row, WellsWork
from ..registry import battery_key


def strapping_table(rows: Sequence[Sequence[Any]], field: str) -> StrappingTable:
    try:
        return StrappingTable.of([(row[0], row[1]) for row in rows])
    except InvalidGauge as exc:
        raise invalid(field, exc.message) from None


async def find_battery(uow: WellsWork, battery_id: UUID, *, lock: bool = False) -> Row:
    row = await uow.batteries.get(battery_id, lock=lock)
    if row is None:
        raise NotFound(f"No tank battery {battery_id}.")
    return row


async def configuration(uow: WellsWork, battery: Mapping[str, Any]) -> Row:
    """The battery with its tanks and its well connections (past and present)."""
    tanks = await uow.batteries.tanks(battery["id"])
    connections = await uow.batteries.connections(battery["id"])
    return {**battery, "tanks": tanks, "wells": connections}


def record_configuration(uow: WellsWork, actor: Actor, config: Mapping[str, Any]) -> None:
    event = BatteryConfigured(
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
    uow.record(event, aggregate_key=battery_key(config["id"]))


async def connect(uow: WellsWork, battery_id: UUID, well_id: UUID, start: date, end: date | None, field: str) -> None:
    """Connect the well from ``start`` to ``end`` (exclusive; None while connected); ``field`` prefixes
    the names of the inputs a refusal points at."""
    if end is not None and end <= start:
        raise invalid(f"{field}.effective_to", "must be after effective_from")
    if not await uow.batteries.lock_well(well_id):
        raise invalid(f"{field}.well_id", f"no well {well_id} in this organization")
    clash = await uow.batteries.overlapping_connection(well_id, start, end)
    if clash is not None:
        raise Conflict(
            f"Well {well_id} already flows into a battery from {clash['effective_from']}"
            + (f" to {clash['effective_to']}" if clash["effective_to"] else "")
            + "; end that connection first.",
            slug="well-already-connected",
            errors=[{"field": f"{field}.well_id", "message": "connected to a battery over an overlapping period"}],
        )
    await uow.batteries.connect(
        {"id": uuid7(), "battery_id": battery_id, "well_id": well_id, "effective_from": start, "effective_to": end}
    )
