"""What every compliance use case shares: the service handle, the acting user, problems and locks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.database import Database, UnitOfWork
from wellflow_servicekit.problems import NotFound, UnprocessableContent

from ..adapters.tables import tenants
from ..domain.calendar import CalendarRules

MAX_PAGE = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    id: str
    organization_id: UUID


@dataclass
class Compliance:
    """The service's use cases need the database, a clock and the calendar rules; nothing else."""

    database: Database
    clock: Callable[[], datetime] = utcnow
    rules: CalendarRules = field(default_factory=CalendarRules)

    def uow(self, actor: Actor) -> UnitOfWork:
        return self.database.unit_of_work(actor.organization_id)

    def today(self) -> date:
        return self.clock().date()


def invalid(field_name: str, message: str) -> UnprocessableContent:
    return UnprocessableContent(message, slug="validation-error", errors=[{"field": field_name, "message": message}])


def not_found(what: str) -> NotFound:
    return NotFound(f"{what} was not found in your organization.")


async def lock(uow: UnitOfWork, key: str, *, shared: bool = False) -> None:
    """A transaction-scoped advisory lock, so two handlers never rebuild the same draft lines at once."""
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    await uow.connection.execute(text(f"SELECT {function}(hashtext(:key)::bigint)"), {"key": key})


async def remember_tenant(uow: UnitOfWork, tenant_id: UUID, now: datetime) -> None:
    statement = pg_insert(tenants).values(tenant_id=tenant_id, first_seen_at=now).on_conflict_do_nothing()
    await uow.connection.execute(statement)
