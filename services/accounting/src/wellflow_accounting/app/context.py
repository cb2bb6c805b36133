"""What every use case shares: the service's handle (the database, the clock and the rules from settings) and
the month checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from wellflow_servicekit.kernel import Actor, Clock, invalid, utcnow

from ..domain.distribution import SuspenseRules
from .ports import AccountingWork

__all__ = ["MAX_PAGE", "Accounting", "Actor", "Clock", "check_month", "invalid", "utcnow"]

MAX_PAGE = 200


class WorkSource(Protocol):
    """A ``Database`` built with ``work_type=SqlAccountingWork``, or ``testing.FakeDatabase(FakeAccountingWork)``."""

    def unit_of_work(self, tenant_id: UUID | None) -> Any: ...


@dataclass
class Accounting:
    """The use cases' handle: the database and the rules from settings."""

    database: WorkSource
    clock: Callable[[], datetime] = utcnow
    suspense: SuspenseRules = field(default_factory=SuspenseRules)

    def uow(self, actor: Actor) -> AccountingWork:
        return self.database.unit_of_work(actor.organization_id)  # type: ignore[no-any-return]


def first_of_month(day: date) -> date:
    return day.replace(day=1)


FIRST_YEAR, LAST_YEAR = 1900, 2200  # months outside are typing mistakes (and keep date arithmetic in range)


def check_month(value: date, field_name: str = "body.month") -> date:
    if value.day != 1:
        raise invalid(field_name, "a month is given as its first day, e.g. 2026-03-01")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise invalid(field_name, f"a month between {FIRST_YEAR} and {LAST_YEAR}")
    return value
