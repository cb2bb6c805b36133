"""In-memory repositories of notifications (the same Protocols as the SQL ones in ``adapters/repositories``),
confined to the unit of work's tenant as row-level security confines those; the unique keys the database holds
(one notification per event and member, one delivery per key) are kept here too."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import repository
from wellflow_servicekit.testing import FakeUnitOfWork, InMemoryRepository

Row = dict[str, Any]


def _plain(row: Row) -> Row:
    return {k: v for k, v in row.items() if k != "organization_id"}


class InMemoryRoster(InMemoryRepository):
    async def organization(self) -> Row | None:
        return self.get_row(("organization", self.organization_id))

    async def keep_organization(self, name: str, version: int, at: datetime) -> None:
        current = await self.organization()
        if current is None or current["version"] <= version:
            self.put_row(("organization", self.organization_id), {"name": name, "version": version})

    async def keep_member(self, row: Row) -> None:
        old = self.get_row(("member", row["id"])) or {}
        kept = {
            **row,
            "email": row.get("email") or old.get("email"),
            "full_name": row.get("full_name") or old.get("full_name"),
        }
        self.put_row(("member", row["id"]), kept)

    async def change_member(self, member_id: UUID, changes: Row) -> bool:
        row = self.get_row(("member", member_id))
        if row is None:
            return False
        self.put_row(("member", member_id), {**_plain(row), **changes})
        return True

    async def member(self, member_id: UUID) -> Row | None:
        row = self.get_row(("member", member_id))
        return _plain(row) if row else None

    async def members_in(self, roles: frozenset[str]) -> list[Row]:
        rows = [_plain(r) for r in self.visible() if "role" in r and r["active"] and r["role"] in roles]
        return sorted(rows, key=lambda r: r["id"])


class InMemoryPreferences(InMemoryRepository):
    async def get(self, member_id: UUID) -> Row | None:
        row = self.get_row(member_id)
        return _plain(row) if row else None

    async def put(self, row: Row) -> None:
        self.put_row(row["member_id"], row)

    async def all_for(self, member_ids: list[UUID]) -> dict[UUID, Row]:
        return {m: row for m in member_ids if (row := await self.get(m)) is not None}


class InMemorySuppressions(InMemoryRepository):
    async def add(self, channel: str, address: str, reason: str, detail: str | None, at: datetime) -> None:
        if self.get_row((channel, address)) is None:
            self.put_row((channel, address), {"channel": channel, "address": address, "reason": reason})

    async def suppressed(self, channel: str, addresses: list[str]) -> set[str]:
        return {a for a in addresses if self.get_row((channel, a)) is not None}

    async def remove(self, channel: str, address: str) -> bool:
        found = self.get_row((channel, address)) is not None
        self.delete_row((channel, address))
        return found

    async def search(self, *, limit: int, offset: int) -> PageOf[Row]:
        rows = [_plain(r) for r in self.visible()]
        return PageOf(rows[offset : offset + limit], len(rows), limit, offset)


class InMemoryInApp(InMemoryRepository):
    async def add(self, rows: list[Row]) -> list[Row]:
        added = []
        for row in rows:
            if self.get_row((row["event_id"], row["member_id"])) is None:
                self.put_row((row["event_id"], row["member_id"]), row)
                added.append(row)
        return added

    def mine(self, member_id: UUID) -> list[Row]:
        return [_plain(r) for r in self.visible() if r["member_id"] == member_id]


class InMemoryDeliveries(InMemoryRepository):
    woken = 0

    async def add(self, rows: list[Row]) -> int:
        made = 0
        for row in rows:
            if self.get_row(row["dedup_key"]) is None:
                self.put_row(row["dedup_key"], row)
                made += 1
        return made

    async def wake(self) -> None:
        InMemoryDeliveries.woken += 1

    def all_rows(self) -> list[Row]:
        return [_plain(r) for r in self.visible()]


class InMemoryTenants(InMemoryRepository):
    async def mark(self, organization_id: UUID, at: datetime) -> None:
        self.uow.database.stores.setdefault("tenants", {})[organization_id] = {"since": at}

    async def organizations(self) -> list[UUID]:
        return list(self.uow.database.stores.get("tenants", {}))


class FakeNotificationsWork(FakeUnitOfWork):
    roster = repository(InMemoryRoster)
    preferences = repository(InMemoryPreferences)
    suppressions = repository(InMemorySuppressions)
    in_app = repository(InMemoryInApp)
    deliveries = repository(InMemoryDeliveries)
    tenants = repository(InMemoryTenants)
