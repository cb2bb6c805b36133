"""What accounting's repositories share: rows as dicts without the tenant column, pages as the API answers
them, and the transaction-scoped advisory lock that serializes an organization's runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.exc import IntegrityError

from wellflow_servicekit.repository import Repository, Row, without_tenant

from ...app.ports import DuplicateKey

MAX_PAGE = 200  # the API's largest page (entrypoints.deps.Limit)


class AccountingRepository(Repository):
    async def rows(self, statement: Any) -> list[Row]:
        return [without_tenant(row) for row in await self.all(statement)]

    async def first(self, statement: Any) -> Row | None:
        row = await self.optional(statement)
        return without_tenant(row) if row is not None else None

    async def returning(self, statement: Any) -> Row:
        return without_tenant(await self.one(statement))

    async def page_of(self, query: Any, limit: int, offset: int) -> dict[str, Any]:
        """A page of ``query`` (selecting ``count() over ()`` as ``_total``): ``{items, total, limit, offset}``."""
        page = await self.page(query, limit=limit, offset=offset, maximum=MAX_PAGE)
        items = [without_tenant(row) for row in page.items]
        return {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}

    async def advisory_lock(self, key: str) -> None:
        """Held until the transaction ends: work under one key happens one at a time."""
        await self.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})

    async def create_once(
        self,
        table: Table,
        values: dict[str, Any],
        *,
        request: Mapping[str, Any],
        noun: str,
        prepare: Callable[[], Awaitable[None]] | None = None,
        answer: Callable[[Row], Awaitable[Row]] | None = None,
    ) -> tuple[Row, bool]:
        """``insert_once``, with another unique key of the row taken (not the id) as ``DuplicateKey``."""
        try:
            return await self.insert_once(table, values, request=request, noun=noun, prepare=prepare, answer=answer)
        except IntegrityError as exc:
            raise DuplicateKey(noun) from exc
