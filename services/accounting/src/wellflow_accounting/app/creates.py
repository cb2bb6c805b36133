"""Creates under a client-chosen id, safe to retry. A phone or an integration that lost the answer sends the same
create again, sometimes while the first is still running: the row goes in once, and every copy of the request
answers the stored resource. The same id with a different body is refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict

Resource = dict[str, Any]


async def create_once(
    uow: UnitOfWork,
    table: Table,
    values: dict[str, Any],
    *,
    request: Mapping[str, Any],
    noun: str,
    prepare: Callable[[], Awaitable[None]] | None = None,
    answer: Callable[[Resource], Awaitable[Resource]] | None = None,
) -> tuple[Resource, bool]:
    """``(the inserted row, True)``, or ``(the stored resource, False)`` when ``values["id"]`` was already
    created by the same request (a retry). ``table``'s primary key is ``(organization_id, id)``.

    ``request`` holds what the client asked for, compared with the stored resource (a list of lines compares
    line by line, on the keys given); a difference is a 409. ``prepare`` runs only when the id is new (the
    checks a retry need not pass again) and may complete ``values``. ``answer`` makes the resource a retry
    receives (with its lines) from the stored row.

    Two copies running at once both find no row; the insert then skips the row the other one wrote (waiting
    for its commit), and this copy answers it as a retry.
    """
    stored = await _stored(uow, table, values)
    if stored is None:
        if prepare is not None:
            await prepare()
        statement = (
            pg_insert(table)
            .values(values)
            .on_conflict_do_nothing(index_elements=[table.c.organization_id, table.c.id])
            .returning(table)
        )
        try:
            async with uow.connection.begin_nested():
                inserted = (await uow.connection.execute(statement)).mappings().first()
        except IntegrityError:
            # Another unique key of the row (a number, a lease) can be checked before the primary key while
            # the other copy is still writing; the id decides whether this is a retry or a real duplicate.
            stored = await _stored(uow, table, values)
            if stored is None:
                raise
        else:
            if inserted is not None:
                return _row(inserted), True
            stored = await _stored(uow, table, values)
            if stored is None:  # the other copy's row is gone again (deleted at once): nothing to answer
                raise Conflict(f"The {noun} with this id changed while it was created; send it again.")
    resource = await answer(stored) if answer is not None else stored
    differing = sorted(key for key, wanted in request.items() if not _same(resource.get(key), wanted))
    if differing:
        raise Conflict(
            f"Another {noun} already has this id; a new {noun} needs a new id.",
            slug="id-in-use",
            errors=[{"field": f"body.{key}", "message": f"differs from the stored {noun}"} for key in differing],
        )
    return resource, False


async def _stored(uow: UnitOfWork, table: Table, values: Mapping[str, Any]) -> Resource | None:
    query = select(table).where(table.c.organization_id == values["organization_id"], table.c.id == values["id"])
    row = (await uow.connection.execute(query)).mappings().first()
    return _row(row) if row is not None else None


def _row(mapping: Mapping[str, Any]) -> Resource:
    return {key: value for key, value in mapping.items() if key != "organization_id"}


def _same(stored: Any, wanted: Any) -> bool:
    if isinstance(wanted, Mapping):
        return isinstance(stored, Mapping) and all(_same(stored.get(key), value) for key, value in wanted.items())
    if isinstance(wanted, list | tuple):
        return (
            isinstance(stored, list | tuple)
            and len(stored) == len(wanted)
            and all(_same(s, w) for s, w in zip(stored, wanted, strict=True))
        )
    return bool(stored == wanted)
