"""What every use case shares: the service's handle, paging and month checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from wellflow_servicekit.database import Database, UnitOfWork
from wellflow_servicekit.kernel import Actor, invalid, utcnow
from wellflow_servicekit.repository import escape_like, order_by

from ..domain.distribution import SuspenseRules

__all__ = ["Actor", "escape_like", "invalid", "order_by", "utcnow"]

MAX_PAGE = 200


@dataclass(frozen=True)
class OperatorContact:
    name: str = "WellFlow Operator"
    address: str = ""
    phone: str = ""


@dataclass
class Accounting:
    """The use cases' handles: the database and the rules from settings."""

    database: Database
    clock: Callable[[], datetime] = utcnow
    suspense: SuspenseRules = field(default_factory=SuspenseRules)
    operator: OperatorContact = field(default_factory=OperatorContact)

    def uow(self, actor: Actor) -> UnitOfWork:
        return self.database.unit_of_work(actor.organization_id)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


FIRST_YEAR, LAST_YEAR = 1900, 2200  # months outside are typing mistakes (and keep date arithmetic in range)


def check_month(value: date, field_name: str = "body.month") -> date:
    if value.day != 1:
        raise invalid(field_name, "a month is given as its first day, e.g. 2026-03-01")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise invalid(field_name, f"a month between {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _row(mapping: Any) -> dict[str, Any]:
    """A row as a dict, without ``organization_id``: the tenant is implied by the unit of work."""
    row = dict(mapping)
    row.pop("organization_id", None)
    return row


async def fetch_one(uow: UnitOfWork, statement: Any) -> dict[str, Any]:
    return _row((await uow.connection.execute(statement)).mappings().one())


async def fetch_all(uow: UnitOfWork, statement: Any) -> list[dict[str, Any]]:
    return [_row(r) for r in (await uow.connection.execute(statement)).mappings()]


async def fetch_page(acc: Accounting, actor: Actor, query: Any, limit: int, offset: int) -> dict[str, Any]:
    """A page of ``query`` (which selects ``count() over ()`` as ``_total``) as ``{items, total, limit, offset}``."""
    limit = max(1, min(limit, MAX_PAGE))
    async with acc.uow(actor) as uow:
        rows = await fetch_all(uow, query.limit(limit).offset(offset))
        total = rows[0]["_total"] if rows else None
        if total is None:
            total = (
                0 if offset == 0 else await uow.connection.scalar(select(func.count()).select_from(query.subquery()))
            )
    for row in rows:
        row.pop("_total", None)
    return {"items": rows, "total": total, "limit": limit, "offset": offset}
