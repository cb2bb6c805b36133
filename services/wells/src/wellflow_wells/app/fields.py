"""Fields: register one (its code unique in the organization), read them, and the check other use cases
make of a field id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.events.wells import FieldRegistered
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from .ports import Row, Taken, WellsWork
from .registry import Registry


async def register_field(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> Row:
    now = registry.clock()
    row = {**data, "id": uuid7(), "created_at": now, "updated_at": now}
    try:
        async with registry.uow(actor) as uow:
            row = await uow.fields.add(row)
            uow.record(
                FieldRegistered(
                    tenant_id=actor.organization_id,
                    field_id=row["id"],
                    **{k: row.get(k) for k in ("name", "code", "basin", "county", "state")},
                )
            )
    except Taken:
        raise Conflict(
            "A field with this code already exists.",
            slug="duplicate-field",
            errors=[{"field": "body.code", "message": "already used by another field"}],
        ) from None
    return row


async def get_field(registry: Registry, actor: Actor, field_id: UUID) -> Row:
    async with registry.uow(actor) as uow:
        row = await uow.fields.get(field_id)
    if row is None:
        raise NotFound(f"No field {field_id}.")
    return row


async def list_fields(registry: Registry, actor: Actor, *, limit: int, offset: int) -> PageOf[Row]:
    async with registry.uow(actor) as uow:
        return await uow.fields.search(limit=limit, offset=offset)


async def check_field(uow: WellsWork, field_id: UUID | None, name: str = "body.field_id") -> None:
    """A field named by a lease, well or battery must be one of this organization's (422 otherwise)."""
    if field_id is not None and not await uow.fields.exists(field_id):
        raise invalid(name, f"no field {field_id} in this organization")
