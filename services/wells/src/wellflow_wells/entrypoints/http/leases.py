"""Leases: register, list, read, update."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from wellflow_servicekit.pages import Page

from ...app.leases import queries as lease_queries
from ...app.leases.register import register_lease as register_lease_uc
from ...app.leases.update import update_lease as update_lease_uc
from ...domain.rules import LeaseStatus
from .. import schemas
from .common import Limit, Offset, Reader, RegistryDep, Writer, district_query, page_of

leases_router = APIRouter(prefix="/api/v1/leases", tags=["leases"])


@leases_router.post("", status_code=201, response_model=schemas.LeaseRead)
async def register_lease(body: schemas.LeaseCreate, actor: Writer, registry: RegistryDep) -> Any:
    return schemas.LeaseRead.of(await register_lease_uc(registry, actor, body.model_dump()))


@leases_router.get("", response_model=Page[schemas.LeaseRead])
async def list_leases(
    actor: Reader,
    registry: RegistryDep,
    field_id: UUID | None = None,
    rrc_district: str | None = None,
    county: str | None = None,
    status: LeaseStatus | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: str = "name",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    page = await lease_queries.list_leases(
        registry,
        actor,
        field_id=field_id,
        rrc_district=district_query(rrc_district),
        county=county,
        status=status,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return page_of(page, schemas.LeaseRead.of)


@leases_router.get("/{lease_id}", response_model=schemas.LeaseRead)
async def get_lease(lease_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return schemas.LeaseRead.of(await lease_queries.get_lease(registry, actor, lease_id))


@leases_router.patch("/{lease_id}", response_model=schemas.LeaseRead)
async def update_lease(lease_id: UUID, body: schemas.LeaseUpdate, actor: Writer, registry: RegistryDep) -> Any:
    changes = body.model_dump(exclude_unset=True)
    return schemas.LeaseRead.of(await update_lease_uc(registry, actor, lease_id, changes))
