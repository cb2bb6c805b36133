"""Equipment and permits: register, list, read."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from wellflow_servicekit.pages import Page

from ...app.operations import equipment, permits
from ...domain.rules import PermitStatus, PermitType
from .. import schemas
from .common import Limit, Offset, Reader, RegistryDep, Writer, page_of

equipment_router = APIRouter(prefix="/api/v1/equipment", tags=["equipment"])


@equipment_router.post("", status_code=201, response_model=schemas.EquipmentRead)
async def register_equipment(body: schemas.EquipmentCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await equipment.register_equipment(registry, actor, body.model_dump())


@equipment_router.get("", response_model=Page[schemas.EquipmentRead])
async def list_equipment(
    actor: Reader,
    registry: RegistryDep,
    well_id: UUID | None = None,
    battery_id: UUID | None = None,
    equipment_type: str | None = None,
    maintenance_due_by: Annotated[date | None, Query(description="next maintenance on or before")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return page_of(
        await equipment.list_equipment(
            registry,
            actor,
            well_id=well_id,
            battery_id=battery_id,
            equipment_type=equipment_type,
            maintenance_due_by=maintenance_due_by,
            limit=limit,
            offset=offset,
        )
    )


@equipment_router.get("/{equipment_id}", response_model=schemas.EquipmentRead)
async def get_equipment(equipment_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await equipment.get_equipment(registry, actor, equipment_id)


permits_router = APIRouter(prefix="/api/v1/permits", tags=["permits"])


@permits_router.post("", status_code=201, response_model=schemas.PermitRead)
async def register_permit(body: schemas.PermitCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await permits.register_permit(registry, actor, body.model_dump())


@permits_router.get("", response_model=Page[schemas.PermitRead])
async def list_permits(
    actor: Reader,
    registry: RegistryDep,
    well_id: UUID | None = None,
    status: PermitStatus | None = None,
    permit_type: PermitType | None = None,
    expiring_within_days: Annotated[
        int | None, Query(ge=0, le=3650, description="approved or renewed permits expiring within N days")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return page_of(
        await permits.list_permits(
            registry,
            actor,
            well_id=well_id,
            status=status,
            permit_type=permit_type,
            expiring_within_days=expiring_within_days,
            limit=limit,
            offset=offset,
        )
    )


@permits_router.get("/{permit_id}", response_model=schemas.PermitRead)
async def get_permit(permit_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await permits.get_permit(registry, actor, permit_id)
