"""What rebuilding one lease's Form PR lines reads, taken in one go (``LeaseLines``): the locks, the report
periods from a month on, and for each of them the lease-month, the line kept, the office's adjustments, the run
tickets' sums and whether the month is priced.

``SqlLeaseLines`` (adapters) does it in a few statements on the hot path of every reading's event;
``RepositoryLeaseLines`` here composes the other repositories, for the in-memory unit of work of the unit tests.
Both take the same locks in the same order: the lease's, then each period's shared, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from ..domain.form_pr import Adjustment, LeaseFacts, LeaseMonth

Row = dict[str, Any]


def lease_lock_key(tenant_id: UUID, lease_id: UUID) -> str:
    return f"compliance-lease:{tenant_id}:{lease_id}"


def period_lock_key(tenant_id: UUID, period: date) -> str:
    return f"compliance-period:{tenant_id}:{period.isoformat()}"


@dataclass
class LeaseSnapshot:
    """One lease from ``periods[0]`` on, with ``before`` (the report month before it) for the carried stock."""

    periods: list[date]
    before: date | None = None
    facts: LeaseFacts | None = None
    months: dict[date, LeaseMonth] = field(default_factory=dict)
    lines: dict[date, Row] = field(default_factory=dict)  # period -> the line kept (its JSON)
    endings: dict[date, int] = field(default_factory=dict)  # period -> the line's ending stock
    adjustments: dict[date, list[Adjustment]] = field(default_factory=dict)
    tickets: dict[date, dict[str, Decimal]] = field(default_factory=dict)
    priced: set[date] = field(default_factory=set)  # months with a price (entered, on a ticket, from accounting)


class LeaseLines(Protocol):
    async def intake(self, lease_id: UUID, month: date, values: Row) -> tuple[bool, bool]:
        """Keep the lease-month (the highest revision) and, when it was newer, remember the tenant: returns
        (kept, the month has a report already)."""

    async def open(self, tenant_id: UUID, lease_id: UUID, start: date | None) -> LeaseSnapshot:
        """Lock the lease and its report periods from ``start`` (None: all) and read them (no periods: empty)."""


class RepositoryLeaseLines:
    """``LeaseLines`` over the unit of work's other repositories (one statement per question)."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def intake(self, lease_id: UUID, month: date, values: Row) -> tuple[bool, bool]:
        uow = self.uow
        if not await uow.lease_months.apply(lease_id, month, values):
            return False, False
        await uow.tenants.remember(uow.tenant_id, values["received_at"])
        return True, await uow.reports.id_of(month) is not None

    async def open(self, tenant_id: UUID, lease_id: UUID, start: date | None) -> LeaseSnapshot:
        uow = self.uow
        await uow.locks.acquire(lease_lock_key(tenant_id, lease_id))
        periods = await uow.reports.periods(since=start)
        if not periods:
            return LeaseSnapshot([])
        for period in periods:
            await uow.locks.acquire(period_lock_key(tenant_id, period), shared=True)
        snapshot = LeaseSnapshot(periods, await uow.reports.previous_period(periods[0]))
        snapshot.facts = (await uow.leases.facts(lease_id)).get(lease_id)
        snapshot.months = await uow.lease_months.of_lease_since(lease_id, periods[0])
        for row in await uow.lines.of_lease_since(lease_id, snapshot.before or periods[0]):
            snapshot.lines[row["period"]] = row["line"]
            snapshot.endings[row["period"]] = row["ending_stock"]
        for period in periods:
            snapshot.adjustments[period] = (await uow.adjustments.active(period, lease_id)).get(lease_id, [])
            tickets = (await uow.run_tickets.sums(period, lease_id)).get(lease_id)
            if tickets is not None:
                snapshot.tickets[period] = tickets
        snapshot.priced = set(await uow.prices.months_priced(lease_id, periods))
        snapshot.priced |= set(await uow.run_tickets.months_priced(lease_id, periods))
        snapshot.priced |= set(await uow.accounting_prices.months_priced(lease_id, periods))
        return snapshot
