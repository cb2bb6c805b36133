"""Partners, ownership decks, title holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_accounting.domain.decks import DeckKind, DeckLine, Period

from .base import Fake, Row, _copy, _public


class InMemoryPartners(Fake):
    store_name = "partners"
    unique = ("owner_number",)

    async def add(self, row: dict[str, Any], request: Mapping[str, Any]) -> tuple[Row, bool]:
        return await self.create_once(row, request, "partner")

    async def get(self, partner_id: UUID, *, lock: bool = False) -> Row | None:
        row = self.get_row(partner_id)
        return _copy(row) if row is not None else None

    async def exists(self, partner_id: UUID) -> bool:
        return self.get_row(partner_id) is not None

    async def next_owner_number(self) -> str:
        numbers = [int(r["owner_number"]) for r in self.rows() if str(r.get("owner_number") or "").isdigit()]
        return str(max([1000, *numbers]) + 1)

    async def update(self, partner_id: UUID, changes: Mapping[str, Any]) -> Row:
        self.keep(partner_id, {**(self.get_row(partner_id) or {}), **changes})
        return _copy(self.get_row(partner_id) or {})

    async def many(self, partner_ids: set[UUID]) -> dict[UUID, Row]:
        return {r["id"]: r for r in self.rows() if r["id"] in partner_ids}

    async def page_of_partners(
        self,
        *,
        role: str | None,
        kind: str | None,
        status: str | None,
        q: str | None,
        sort: str,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (role is None or role in r["roles"])
            and (kind is None or r["kind"] == kind)
            and (status is None or r["status"] == status)
            and (not q or q.lower() in r["name"].lower() or q.lower() in (r.get("owner_number") or "").lower())
        ]
        field = sort.lstrip("-")
        rows.sort(key=lambda r: (r.get(field) is None, r.get(field) or "", str(r["id"])), reverse=sort.startswith("-"))
        return self.page(rows, limit, offset)

    async def references(self, partner_id: UUID) -> list[str]:
        stores = self.uow.database.stores
        used = []
        if any(line.partner_id == partner_id for deck in stores.get("decks", {}).values() for line in deck["_lines"]):
            used.append("ownership decks")
        return used

    async def delete(self, partner_id: UUID) -> None:
        self.delete_row(partner_id)


class InMemoryDecks(Fake):
    """Decks keep their lines with them (``_lines``: ``DeckLine``s)."""

    store_name = "decks"

    async def add(
        self,
        row: dict[str, Any],
        request: Mapping[str, Any],
        *,
        prepare: Callable[[], Awaitable[None]],
        answer: Callable[[Row], Awaitable[Row]],
    ) -> tuple[Row, bool]:
        return await self.create_once({**row, "_lines": []}, request, "ownership deck", prepare, answer)

    async def add_lines(self, organization_id: UUID, deck_id: UUID, lines: list[DeckLine]) -> None:
        stored = self.get_row(deck_id) or {}
        self.keep(deck_id, {**stored, "_lines": [*stored.get("_lines", []), *lines]})

    async def lines(self, deck_id: UUID) -> list[Row]:
        stored = self.get_row(deck_id) or {}
        lines = sorted(stored.get("_lines", []), key=lambda line: (line.interest_type.value, str(line.partner_id)))
        return [
            {"partner_id": line.partner_id, "interest_type": line.interest_type.value, "decimal": line.decimal}
            for line in lines
        ]

    async def get(self, deck_id: UUID) -> Row | None:
        row = self.get_row(deck_id)
        return _public(_copy(row)) if row is not None else None

    async def periods(self, lease_id: UUID, kind: DeckKind, *, excluding: UUID | None = None) -> list[Period]:
        return [
            Period(r["effective_from"], r["effective_to"])
            for r in self.rows(lease_id=lease_id, kind=kind.value)
            if r["id"] != excluding
        ]

    async def set_end(self, deck_id: UUID, effective_to: date | None) -> Row:
        self.keep(deck_id, {**(self.get_row(deck_id) or {}), "effective_to": effective_to})
        return (await self.get(deck_id)) or {}

    async def page_of_decks(
        self,
        *,
        lease_id: UUID | None,
        kind: str | None,
        partner_id: UUID | None,
        on: date | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (lease_id is None or r["lease_id"] == lease_id)
            and (kind is None or r["kind"] == kind)
            and (partner_id is None or any(line.partner_id == partner_id for line in r["_lines"]))
            and (on is None or _in_effect(r, on))
        ]
        rows.sort(key=lambda r: (str(r["lease_id"]), r["kind"], r["effective_from"], str(r["id"])))
        return self.page([_public(r) for r in rows], limit, offset)

    async def in_effect(self, kind: DeckKind, day: date) -> dict[UUID, list[DeckLine]]:
        result: dict[UUID, list[DeckLine]] = {}
        for r in self.rows(kind=kind.value):
            if _in_effect(r, day):
                result.setdefault(r["lease_id"], []).extend(r["_lines"])
        return result


def _in_effect(deck: Mapping[str, Any], day: date) -> bool:
    return bool(deck["effective_from"] <= day and (deck["effective_to"] is None or deck["effective_to"] > day))


class InMemoryTitleHolds(Fake):
    store_name = "title_holds"

    async def put(self, values: dict[str, Any]) -> Row:
        key = (values["partner_id"], values["lease_id"])
        self.put_row(key, {k: v for k, v in values.items() if k != "organization_id"})
        return _copy(self.get_row(key) or {})

    async def page_of_holds(
        self, *, partner_id: UUID | None, lease_id: UUID | None, status: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (partner_id is None or r["partner_id"] == partner_id)
            and (lease_id is None or r["lease_id"] == lease_id)
            and (status is None or r["status"] == status)
        ]
        return self.page(sorted(rows, key=lambda r: (str(r["partner_id"]), str(r["lease_id"]))), limit, offset)

    async def suspended(self) -> dict[tuple[UUID, UUID], str]:
        return {(r["partner_id"], r["lease_id"]): r["reason"] for r in self.rows(status="suspend")}
