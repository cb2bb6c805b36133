"""In-memory repositories of the wells service and ``FakeWellsWork``: the same protocols as
``adapters/repositories`` (``app/ports.py``), with the unique keys the tables hold, so the use cases run
without PostgreSQL. The integration tests keep proving the SQL.

``conftest.py`` loads this module; tests reach it through its fixtures (``registry``, ``database``).
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.kernel import PageOf, clamp_limit, invalid
from wellflow_servicekit.repository import repository
from wellflow_servicekit.testing import FakeUnitOfWork, InMemoryRepository
from wellflow_wells.adapters import tables
from wellflow_wells.app.ports import MAX_PAGE, Row, Taken


def _full(store: str, row: Row) -> Row:
    """The row with every column of its table (those not given are null, as an INSERT leaves them)."""
    columns = tables.metadata.tables[store].c.keys()
    return {**{c: None for c in columns if c != "organization_id"}, **row}


def _public(row: dict[str, Any]) -> Row:
    return {k: v for k, v in row.items() if k != "organization_id"}


def _page(rows: Sequence[Row], limit: int, offset: int) -> PageOf[Row]:
    limit = clamp_limit(limit, MAX_PAGE)
    return PageOf(items=[dict(r) for r in rows[offset : offset + limit]], total=len(rows), limit=limit, offset=offset)


def _sorted(rows: Iterable[Row], sort: str, sortable: Sequence[str]) -> list[Row]:
    """``name`` or ``-name``, nulls last either way, then by id (what ``order_by`` does in SQL)."""
    name = sort.lstrip("-")
    if name not in sortable:
        raise invalid("query.sort", f"one of {', '.join(sortable)}, optionally prefixed by '-'")
    by_id = sorted(rows, key=lambda r: str(r["id"]))
    present = [r for r in by_id if r.get(name) is not None]
    missing = [r for r in by_id if r.get(name) is None]
    return sorted(present, key=lambda r: r[name], reverse=sort.startswith("-")) + missing


def _contains(text: str | None, part: str) -> bool:
    return text is not None and part.lower() in text.lower()


class InMemoryTable(InMemoryRepository):
    """Rows by id, one unique key (``unique``: the columns, ignored while one of them is null)."""

    unique: tuple[str, ...] = ()

    def rows(self) -> list[Row]:
        return [_public(r) for r in self.visible()]

    def other_store(self, name: str) -> list[Row]:
        tenant = self.uow.tenant_id
        store = self.uow.database.stores.setdefault(name, {})
        return [_public(r) for r in store.values() if tenant is None or r.get("organization_id") == tenant]

    def put_other(self, name: str, row: Row) -> None:
        stored = {"organization_id": self.uow.tenant_id, **_full(name, row)}
        self.uow.database.stores.setdefault(name, {})[row["id"]] = stored

    def _check_unique(self, row: Row, rows: Iterable[Row], unique: tuple[str, ...]) -> None:
        key = tuple(row.get(c) for c in unique)
        if not unique or None in key:
            return
        if any(other["id"] != row["id"] and tuple(other.get(c) for c in unique) == key for other in rows):
            raise Taken(self.store_name)

    async def add(self, row: Row) -> Row:
        row = _full(self.store_name, row)
        self._check_unique(row, self.rows(), self.unique)
        self.put_row(row["id"], dict(row))
        return dict(row)

    async def get(self, row_id: UUID, *, lock: bool = False) -> Row | None:
        row = self.get_row(row_id)
        return _public(row) if row is not None else None

    async def exists(self, row_id: UUID) -> bool:
        return self.get_row(row_id) is not None

    async def change(self, row_id: UUID, changes: Row) -> Row:
        row = {**_public(self.get_row(row_id) or {}), **changes}
        self._check_unique(row, self.rows(), self.unique)
        self.put_row(row_id, row)
        return dict(row)


class InMemoryFields(InMemoryTable):
    store_name = "fields"
    unique = ("code",)

    async def search(self, *, limit: int, offset: int) -> PageOf[Row]:
        return _page(sorted(self.rows(), key=lambda r: (r["name"], str(r["id"]))), limit, offset)


class InMemoryLeases(InMemoryTable):
    store_name = "leases"
    unique = ("rrc_district", "rrc_lease_number")

    async def every(self) -> list[Row]:
        return self.rows()

    async def search(
        self,
        *,
        field_id: UUID | None,
        rrc_district: str | None,
        county: str | None,
        status: str | None,
        q: str | None,
        sort: str,
        limit: int,
        offset: int,
    ) -> PageOf[Row]:
        rows = [
            r
            for r in self.rows()
            if (field_id is None or r.get("field_id") == field_id)
            and (rrc_district is None or r["rrc_district"] == rrc_district)
            and (county is None or (r.get("county") or "").lower() == county.lower())
            and (status is None or r["status"] == status)
            and (not q or _contains(r["name"], q) or _contains(r.get("rrc_lease_number"), q))
        ]
        return _page(_sorted(rows, sort, ("name", "rrc_lease_number", "created_at")), limit, offset)


class InMemoryWells(InMemoryTable):
    store_name = "wells"
    unique = ("api_number",)

    async def api_number_taken(self, api_number: str, *, other_than: UUID | None = None) -> bool:
        return any(r["api_number"] == api_number and r["id"] != other_than for r in self.rows())

    async def record_history(self, row: Row) -> None:
        self.put_other("well_status_history", row)

    async def history(self, well_id: UUID) -> list[Row]:
        rows = [r for r in self.other_store("well_status_history") if r["well_id"] == well_id]
        return sorted(rows, key=lambda r: (r["changed_at"], str(r["id"])))

    async def search(
        self,
        *,
        status: Sequence[str],
        lease_id: UUID | None,
        field_id: UUID | None,
        battery_id: UUID | None,
        county: str | None,
        well_type: str | None,
        q: str | None,
        sort: str,
        limit: int,
        offset: int,
    ) -> PageOf[Row]:
        connected = {
            c["well_id"]
            for c in self.other_store("battery_wells")
            if c["battery_id"] == battery_id and c["effective_to"] is None
        }
        digits = "".join(ch for ch in q or "" if ch in "0123456789")
        rows = [
            r
            for r in self.rows()
            if (battery_id is None or r["id"] in connected)
            and (not status or r["status"] in status)
            and (lease_id is None or r["lease_id"] == lease_id)
            and (field_id is None or r.get("field_id") == field_id)
            and (county is None or (r.get("county") or "").lower() == county.lower())
            and (well_type is None or r["well_type"] == well_type)
            and (not q or _contains(r["name"], q) or (bool(digits) and digits in r["api_number"]))
        ]
        sortable = ("name", "api_number", "status", "spud_date", "created_at")
        return _page(_sorted(rows, sort, sortable), limit, offset)


class InMemoryBatteries(InMemoryTable):
    store_name = "batteries"
    unique = ("code",)

    async def search(self, *, lease_id: UUID | None, limit: int, offset: int) -> PageOf[Row]:
        rows = [r for r in self.rows() if lease_id is None or r.get("lease_id") == lease_id]
        return _page(sorted(rows, key=lambda r: (r["name"], str(r["id"]))), limit, offset)

    async def add_tank(self, row: Row) -> None:
        self._check_unique(row, self.other_store("tanks"), ("battery_id", "number"))
        self.put_other("tanks", row)

    async def tanks(self, battery_id: UUID) -> list[Row]:
        return sorted(
            (t for t in self.other_store("tanks") if t["battery_id"] == battery_id), key=lambda t: t["number"]
        )

    async def tank(self, battery_id: UUID, tank_id: UUID) -> Row | None:
        return next((t for t in await self.tanks(battery_id) if t["id"] == tank_id), None)

    async def connections(self, battery_id: UUID) -> list[Row]:
        wells = {w["id"]: w for w in self.other_store("wells")}
        rows = [
            {**c, "api_number": wells[c["well_id"]]["api_number"], "well_name": wells[c["well_id"]]["name"]}
            for c in self.other_store("battery_wells")
            if c["battery_id"] == battery_id
        ]
        return sorted(rows, key=lambda r: (r["effective_from"], r["well_name"]))

    async def lock_well(self, well_id: UUID) -> bool:
        return any(w["id"] == well_id for w in self.other_store("wells"))

    async def overlapping_connection(self, well_id: UUID, start: date, end: date | None) -> Row | None:
        for c in self.other_store("battery_wells"):
            if c["well_id"] != well_id:
                continue
            if (c["effective_to"] is None or c["effective_to"] > start) and (end is None or c["effective_from"] < end):
                return c
        return None

    async def connect(self, row: Row) -> None:
        self.put_other("battery_wells", row)

    async def open_connection(self, battery_id: UUID, well_id: UUID) -> Row | None:
        for c in self.other_store("battery_wells"):
            if c["battery_id"] == battery_id and c["well_id"] == well_id and c["effective_to"] is None:
                return c
        return None

    async def end_connection(self, connection_id: UUID, end: date) -> None:
        row = next(c for c in self.other_store("battery_wells") if c["id"] == connection_id)
        self.put_other("battery_wells", {**row, "effective_to": end})


class InMemoryWellTests(InMemoryTable):
    store_name = "well_tests"

    async def list_for_well(self, well_id: UUID, *, limit: int, offset: int) -> PageOf[Row]:
        rows = sorted(
            (r for r in self.rows() if r["well_id"] == well_id),
            key=lambda r: (r["test_date"], str(r["id"])),
            reverse=True,
        )
        return _page(rows, limit, offset)


class InMemoryEquipment(InMemoryTable):
    store_name = "equipment"
    unique = ("tag",)

    async def search(
        self,
        *,
        well_id: UUID | None,
        battery_id: UUID | None,
        equipment_type: str | None,
        maintenance_due_by: date | None,
        limit: int,
        offset: int,
    ) -> PageOf[Row]:
        rows = [
            r
            for r in self.rows()
            if (well_id is None or r.get("well_id") == well_id)
            and (battery_id is None or r.get("battery_id") == battery_id)
            and (equipment_type is None or r["equipment_type"] == equipment_type)
            and (
                maintenance_due_by is None
                or (r.get("next_maintenance_date") is not None and r["next_maintenance_date"] <= maintenance_due_by)
            )
        ]
        return _page(sorted(rows, key=lambda r: (r["tag"], str(r["id"]))), limit, offset)


class InMemoryPermits(InMemoryTable):
    store_name = "permits"
    unique = ("agency", "permit_number")

    async def search(
        self,
        *,
        well_id: UUID | None,
        status: str | None,
        permit_type: str | None,
        in_force_expiring: tuple[Sequence[str], date, date] | None,
        limit: int,
        offset: int,
    ) -> PageOf[Row]:
        rows = [
            r
            for r in self.rows()
            if (well_id is None or r.get("well_id") == well_id)
            and (status is None or r["status"] == status)
            and (permit_type is None or r["permit_type"] == permit_type)
        ]
        order: Callable[[Row], Any] = lambda r: (r["permit_number"], str(r["id"]))  # noqa: E731
        if in_force_expiring is not None:
            statuses, first, last = in_force_expiring
            rows = [
                r
                for r in rows
                if r["status"] in statuses
                and r.get("expiration_date") is not None
                and first <= r["expiration_date"] <= last
            ]
            order = lambda r: (r["expiration_date"], r["permit_number"], str(r["id"]))  # noqa: E731
        return _page(sorted(rows, key=order), limit, offset)


class FakeWellsWork(FakeUnitOfWork):
    fields = repository(InMemoryFields)
    leases = repository(InMemoryLeases)
    wells = repository(InMemoryWells)
    batteries = repository(InMemoryBatteries)
    well_tests = repository(InMemoryWellTests)
    equipment = repository(InMemoryEquipment)
    permits = repository(InMemoryPermits)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """Undo only what ran inside, when it raises (as a SQL savepoint does)."""
        snapshot = copy.deepcopy(self.database.stores)
        try:
            yield
        except BaseException:
            self.database.stores.clear()
            self.database.stores.update(snapshot)
            raise
