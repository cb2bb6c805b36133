"""Configure a new tank battery: its tanks with their strapping tables, and the wells flowing into it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import Actor, invalid

from ...domain.strapping import StrappingTable
from ..fields import check_field
from ..ports import Row, Taken, WellsWork
from ..registry import Registry
from ..wells.common import lease_for_well
from .common import configuration, connect, record_configuration, strapping_table

DUPLICATE = Conflict(
    "A battery with this code exists, or two tanks share a number.",
    slug="duplicate-battery",
    errors=[{"field": "body.code", "message": "battery codes and tank numbers must be unique"}],
)


def _tank_tables(tanks: list[Mapping[str, Any]]) -> list[StrappingTable]:
    """Each tank's strapping table, checked: well-formed, and holding no more than the tank (5% slack)."""
    tables = [strapping_table(t["strapping"], f"body.tanks[{i}].strapping") for i, t in enumerate(tanks)]
    for i, (tank, table) in enumerate(zip(tanks, tables, strict=True)):
        if table.rows[-1][1] > tank["capacity_bbl"] * Decimal("1.05"):
            raise invalid(f"body.tanks[{i}].strapping", "the strapping table holds more than the tank's capacity")
    return tables


async def configure_battery(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> Row:
    now = registry.clock()
    tables = _tank_tables(data["tanks"])
    row = {
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
            battery = await uow.batteries.add(row)
            await _add_tanks(uow, battery["id"], data["tanks"], tables)
            for i, link in enumerate(data.get("wells") or ()):
                start, end = link["effective_from"], link.get("effective_to")
                await connect(uow, battery["id"], link["well_id"], start, end, f"body.wells[{i}]")
            config = await configuration(uow, battery)
            record_configuration(uow, actor, config)
    except Taken:
        raise DUPLICATE from None
    return config


async def _add_tanks(
    uow: WellsWork, battery_id: Any, tanks: list[Mapping[str, Any]], tables: list[StrappingTable]
) -> None:
    for tank, table in zip(tanks, tables, strict=True):
        await uow.batteries.add_tank(
            {
                "id": uuid7(),
                "battery_id": battery_id,
                "number": tank["number"],
                "product": tank["product"],
                "capacity_bbl": tank["capacity_bbl"],
                "strapping": list(table.rows),
            }
        )
