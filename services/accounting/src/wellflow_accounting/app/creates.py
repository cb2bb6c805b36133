"""Creates under a client-chosen id, safe to retry: ``wellflow_servicekit.repository.insert_once``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy import Table

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.repository import Repository

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
    return await Repository(uow).insert_once(table, values, request=request, noun=noun, prepare=prepare, answer=answer)
