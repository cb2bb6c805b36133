"""Fields: register, list, read."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from wellflow_servicekit.pages import Page

from ...app import fields
from .. import schemas
from .common import Limit, Offset, Reader, RegistryDep, Writer, page_of

fields_router = APIRouter(prefix="/api/v1/fields", tags=["fields"])


@fields_router.post("", status_code=201, response_model=schemas.FieldRead)
async def register_field(body: schemas.FieldCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await fields.register_field(registry, actor, body.model_dump())


@fields_router.get("", response_model=Page[schemas.FieldRead])
async def list_fields(actor: Reader, registry: RegistryDep, limit: Limit = 50, offset: Offset = 0) -> Any:
    return page_of(await fields.list_fields(registry, actor, limit=limit, offset=offset))


@fields_router.get("/{field_id}", response_model=schemas.FieldRead)
async def get_field(field_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await fields.get_field(registry, actor, field_id)
