"""The stored imports: one with its error report paged by line, and the newest-first list."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, jsonable

from ..common import Production, page_body


def import_body(row: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = jsonable({k: v for k, v in row.items() if k != "organization_id"})
    body["import_id"] = body.pop("id")
    return body


async def get_import(
    production: Production, actor: Actor, import_id: UUID, *, offset: int, limit: int
) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        row = await uow.imports.get(import_id)
        if row is None:
            raise NotFound(f"No import {import_id}.")
        errors = await uow.imports.errors(import_id, offset=offset, limit=limit)
    body = import_body(row)
    body["errors"] = errors
    body["errors_offset"] = offset
    return body


async def list_imports(production: Production, actor: Actor, *, offset: int, limit: int) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        rows = await uow.imports.latest_first(offset=offset, limit=limit)
    return page_body([import_body(row) for row in rows[:limit]], rows, offset=offset, limit=limit)
