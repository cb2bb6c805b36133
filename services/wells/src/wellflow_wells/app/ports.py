"""What the use cases need from storage: one protocol per repository and the unit of work that holds them.

``adapters/repositories/`` implements them on PostgreSQL (``adapters/unit_of_work.py``'s ``SqlWellsWork``);
``tests/unit/fakes.py`` implements them in memory. Rows travel as plain dicts without ``organization_id``
(the unit of work's tenant is implied). A write that breaks a unique key raises ``Taken``.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from wellflow_servicekit.kernel import PageOf, Work

Row = dict[str, Any]
MAX_PAGE = 200


class Taken(Exception):
    """A unique key of the row is already used (a code, a number, an API number, a tag)."""


class Fields(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def get(self, field_id: UUID) -> Row | None: ...
    async def exists(self, field_id: UUID) -> bool: ...
    async def search(self, *, limit: int, offset: int) -> PageOf[Row]: ...


class Leases(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def get(self, lease_id: UUID, *, lock: bool = False) -> Row | None: ...
    async def change(self, lease_id: UUID, changes: Row) -> Row: ...
    async def every(self) -> list[Row]: ...
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
    ) -> PageOf[Row]: ...


class Wells(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def get(self, well_id: UUID, *, lock: bool = False) -> Row | None: ...
    async def api_number_taken(self, api_number: str, *, other_than: UUID | None = None) -> bool: ...
    async def change(self, well_id: UUID, changes: Row) -> Row: ...
    async def record_history(self, row: Row) -> None: ...
    async def history(self, well_id: UUID) -> list[Row]: ...
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
    ) -> PageOf[Row]: ...


class Batteries(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def get(self, battery_id: UUID, *, lock: bool = False) -> Row | None: ...
    async def exists(self, battery_id: UUID) -> bool: ...
    async def search(self, *, lease_id: UUID | None, limit: int, offset: int) -> PageOf[Row]: ...
    async def add_tank(self, row: Row) -> None: ...
    async def tanks(self, battery_id: UUID) -> list[Row]:
        """The battery's tanks by number, each ``strapping`` as (level inches, barrels) Decimal pairs."""
        ...

    async def tank(self, battery_id: UUID, tank_id: UUID) -> Row | None: ...
    async def connections(self, battery_id: UUID) -> list[Row]:
        """The battery's well connections, oldest first, each with the well's ``api_number`` and ``well_name``."""
        ...

    async def lock_well(self, well_id: UUID) -> bool:
        """Lock the well's row for the connection change; False when there is no such well."""
        ...

    async def overlapping_connection(self, well_id: UUID, start: date, end: date | None) -> Row | None: ...
    async def connect(self, row: Row) -> None: ...
    async def open_connection(self, battery_id: UUID, well_id: UUID) -> Row | None: ...
    async def end_connection(self, connection_id: UUID, end: date) -> None: ...


class WellTests(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def list_for_well(self, well_id: UUID, *, limit: int, offset: int) -> PageOf[Row]: ...


class Equipment(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def get(self, equipment_id: UUID) -> Row | None: ...
    async def search(
        self,
        *,
        well_id: UUID | None,
        battery_id: UUID | None,
        equipment_type: str | None,
        maintenance_due_by: date | None,
        limit: int,
        offset: int,
    ) -> PageOf[Row]: ...


class Permits(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def get(self, permit_id: UUID) -> Row | None: ...
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
        """``in_force_expiring``: (statuses in force, from, to) keeps those permits expiring between the two
        days, soonest first."""
        ...


class WellsWork(Work, Protocol):
    """One transaction of the wells service, with its repositories."""

    fields: Fields
    leases: Leases
    wells: Wells
    batteries: Batteries
    well_tests: WellTests
    equipment: Equipment
    permits: Permits

    def savepoint(self) -> AbstractAsyncContextManager[Any]:
        """A nested transaction: leaving it with an exception undoes only what ran inside it."""
        ...

    async def __aenter__(self) -> WellsWork: ...
    async def __aexit__(self, *exc: object) -> None: ...


class WellsDatabase(Protocol):
    """``Database(work_type=SqlWellsWork)`` or ``FakeDatabase(FakeWellsWork)``."""

    def unit_of_work(self, tenant_id: UUID | None) -> Any: ...
