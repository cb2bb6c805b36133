"""Tank batteries: configure, list, read, connect and disconnect wells, tank volume."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from wellflow_servicekit.pages import Page

from ...app.batteries import configure, connections
from ...app.batteries import queries as battery_queries
from ...domain.strapping import Gauge
from .. import schemas
from .common import Limit, Offset, Reader, RegistryDep, Writer, page_of

batteries_router = APIRouter(prefix="/api/v1/batteries", tags=["tank batteries"])


@batteries_router.post("", status_code=201, response_model=schemas.BatteryRead)
async def configure_battery(body: schemas.BatteryCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await configure.configure_battery(registry, actor, body.model_dump())


@batteries_router.get("", response_model=Page[schemas.BatterySummaryRead])
async def list_batteries(
    actor: Reader, registry: RegistryDep, lease_id: UUID | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return page_of(await battery_queries.list_batteries(registry, actor, lease_id=lease_id, limit=limit, offset=offset))


@batteries_router.get("/{battery_id}", response_model=schemas.BatteryRead)
async def get_battery(battery_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await battery_queries.get_battery(registry, actor, battery_id)


@batteries_router.post("/{battery_id}/wells", response_model=schemas.BatteryRead)
async def connect_well(battery_id: UUID, body: schemas.ConnectionCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await connections.connect_well(
        registry, actor, battery_id, body.well_id, body.effective_from, body.effective_to
    )


@batteries_router.post("/{battery_id}/wells/{well_id}/disconnect", response_model=schemas.BatteryRead)
async def disconnect_well(
    battery_id: UUID, well_id: UUID, body: schemas.ConnectionUpdate, actor: Writer, registry: RegistryDep
) -> Any:
    return await connections.disconnect_well(registry, actor, battery_id, well_id, body.effective_to)


@batteries_router.get("/{battery_id}/tanks/{tank_id}/volume", response_model=schemas.TankVolumeRead)
async def tank_volume(
    battery_id: UUID,
    tank_id: UUID,
    actor: Reader,
    registry: RegistryDep,
    feet: Annotated[int, Query(ge=0, le=100)],
    inches: Annotated[int, Query(ge=0, le=11)] = 0,
    quarters: Annotated[int, Query(ge=0, le=3, description="quarter-inches")] = 0,
) -> Any:
    return await battery_queries.tank_volume(registry, actor, battery_id, tank_id, Gauge(feet, inches, quarters))
