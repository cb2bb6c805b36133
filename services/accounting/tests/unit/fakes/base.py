"""What the in-memory repositories share: rows confined to the tenant, pages, idempotent creates, unique keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from wellflow_accounting.app.context import MAX_PAGE
from wellflow_accounting.app.ports import DuplicateKey
from wellflow_servicekit.kernel import check_same_request, clamp_limit
from wellflow_servicekit.repository import without_tenant
from wellflow_servicekit.testing import InMemoryRepository

Row = dict[str, Any]


def _copy(row: Mapping[str, Any]) -> Row:
    return without_tenant(row)


class Fake(InMemoryRepository):
    """What the in-memory repositories share: rows by key, pages, idempotent creates, unique keys."""

    unique: tuple[str, ...] = ()  # a column no two rows of a tenant may share (besides the id)

    def rows(self, **equal: Any) -> list[Row]:
        return [_copy(r) for r in self.visible() if all(r.get(k) == v for k, v in equal.items())]

    def page(self, items: list[Row], limit: int, offset: int) -> dict[str, Any]:
        limit = clamp_limit(limit, MAX_PAGE)
        return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}

    def _check_unique(self, row: Mapping[str, Any], key: Any) -> None:
        for column in self.unique:
            if row.get(column) is not None and any(
                other.get(column) == row[column]
                for k, other in self._rows.items()
                if k != key and other in self._mine()
            ):
                raise DuplicateKey(column)

    def _mine(self) -> list[Row]:
        return list(self.visible())

    def keep(self, key: Any, row: Mapping[str, Any]) -> None:
        self._check_unique(row, key)
        self.put_row(key, {k: v for k, v in row.items() if k != "organization_id"})

    async def create_once(
        self,
        values: dict[str, Any],
        request: Mapping[str, Any],
        noun: str,
        prepare: Callable[[], Awaitable[None]] | None = None,
        answer: Callable[[Row], Awaitable[Row]] | None = None,
    ) -> tuple[Row, bool]:
        stored = self.get_row(values["id"])
        if stored is None:
            if prepare is not None:
                await prepare()
            self.keep(values["id"], values)
            return _public(_copy(self.get_row(values["id"]) or {})), True
        resource = await answer(_public(_copy(stored))) if answer is not None else _public(_copy(stored))
        check_same_request(resource, request, noun=noun)
        return resource, False


def _public(row: Row) -> Row:
    return {k: v for k, v in row.items() if not k.startswith("_")}
