"""What compliance's use cases need from storage, as protocols: one per repository, and the unit of work that
holds them (``ComplianceWork``). ``adapters/repositories/`` implements them in SQL, ``tests/unit/fakes.py``
in memory. (What the submission queue needs of the RRC portal is in ``app/submissions/portal.py``.)

Rows are plain dicts of a table's columns without ``organization_id`` (the unit of work's tenant).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from wellflow_servicekit.kernel import PageOf, Work
from wellflow_texas.reliefs import ReliefGrant

from ..domain.form_pr import Adjustment, LeaseFacts, LeaseMonth
from ..domain.severance import ProductPrice, TicketSale
from ..domain.valuation import PostedPrice
from .lease_lines import LeaseLines

Row = dict[str, Any]


# ---------------------------------------------------------------- compliance's copies of other services' facts


class Tenants(Protocol):
    """The organizations compliance has heard of (system work walks their calendars)."""

    async def remember(self, tenant_id: UUID, now: datetime) -> None: ...

    async def all_ids(self) -> list[UUID]: ...


class Operators(Protocol):
    """The organization as the RRC knows it (Form P-5)."""

    async def get(self) -> Row | None: ...

    async def name_and_number(self) -> tuple[str | None, str | None]: ...

    async def save(self, values: Row) -> None: ...

    async def adopt_from_sign_up(self, *, name: str, number: str | None, by: str, now: datetime) -> None: ...

    async def adopt_profile(self, *, name: str, number: str | None, by: str, at: datetime) -> bool:
        """The profile published at ``at``, unless what is held is newer; a null number keeps the one held."""


class Leases(Protocol):
    """Compliance's copy of the registry's leases (and, through ``facts``, their wells)."""

    async def apply(self, lease_id: UUID, values: Row) -> bool: ...

    async def get(self, lease_id: UUID) -> Row | None: ...

    async def facts(self, lease_id: UUID | None = None) -> dict[UUID, LeaseFacts]: ...

    async def find(
        self, *, rrc_district: str | None, pending: bool | None, lease_type: str | None, limit: int, offset: int
    ) -> PageOf[Row]: ...


class Wells(Protocol):
    async def lease_of(self, well_id: UUID) -> UUID | None: ...

    async def apply(self, well_id: UUID, values: Row) -> bool: ...

    async def change_status(self, well_id: UUID, status: str, event_at: datetime, now: datetime) -> bool: ...

    async def of_leases(self, lease_ids: list[UUID]) -> list[Row]: ...


class LeaseMonths(Protocol):
    """Production's lease-month totals, the highest revision kept."""

    async def apply(self, lease_id: UUID, month: date, values: Row) -> bool: ...

    async def of_period(self, period: date) -> dict[UUID, LeaseMonth]: ...

    async def of_lease_since(self, lease_id: UUID, start: date) -> dict[date, LeaseMonth]: ...


class RunTickets(Protocol):
    async def add(self, values: Row) -> None: ...

    async def refuse(self, values: Row) -> None:
        """The purchaser refused the load; the first refusal stands. Refused tickets leave every answer below."""

    async def settle(self, values: Row) -> None:
        """The dispute's settlement; the first stands. Heard before the refusal, it writes the row."""

    async def sums(self, period: date, lease_id: UUID | None = None) -> dict[UUID, dict[str, Decimal]]: ...

    async def sales(self, lease_id: UUID, month: date) -> list[TicketSale]:
        """The lease-month's tickets (net barrels, the purchaser's price when on the ticket), oldest first."""

    async def months_priced(self, lease_id: UUID, among: list[date] | None = None) -> list[date]:
        """Months of the lease with at least one ticket carrying a price."""

    async def leases_priced(self, month: date) -> list[UUID]: ...


# ---------------------------------------------------------------- Form PR


class Locks(Protocol):
    async def acquire(self, key: str, *, shared: bool = False) -> None:
        """A transaction-scoped lock, so two handlers never rebuild the same draft lines at once."""


class Reports(Protocol):
    async def id_of(self, period: date) -> UUID | None: ...

    async def create(self, period: date, now: datetime) -> UUID | None:
        """The new report's id, or None when another transaction created the period's report first."""

    async def get(self, period: date, *, for_update: bool = False) -> Row | None: ...

    async def newest_first(self, *, year: int | None) -> list[Row]: ...

    async def periods(self, *, since: date | None = None, after: date | None = None) -> list[date]: ...

    async def previous_period(self, period: date) -> date | None: ...

    async def regenerated(self, period: date, now: datetime) -> None: ...


class Lines(Protocol):
    """The draft lines (one per lease and period) with the counts and ending stock kept beside each."""

    async def of_period(self, period: date) -> list[Row]: ...

    async def endings(self, period: date | None) -> dict[UUID, int]: ...

    async def replace_period(self, period: date, rows: list[Row]) -> None: ...

    async def of_lease_since(self, lease_id: UUID, since: date) -> list[Row]: ...

    async def remove(self, period: date, lease_id: UUID) -> None: ...

    async def save(self, row: Row) -> None: ...

    async def line(self, lease_id: UUID, period: date) -> Row | None: ...

    async def counts_by_period(self) -> dict[date, Row]: ...


class Adjustments(Protocol):
    async def active(self, period: date, lease_id: UUID | None = None) -> dict[UUID, list[Adjustment]]: ...

    async def by_key(self, idempotency_key: str) -> Row | None: ...

    async def add(self, values: Row) -> Row: ...

    async def get(self, period: date, adjustment_id: UUID, *, for_update: bool = False) -> Row | None: ...

    async def void(self, adjustment_id: UUID, *, at: datetime, by: str, reason: str) -> Row: ...

    async def find(
        self, period: date, *, lease_id: UUID | None, include_voided: bool, limit: int, offset: int
    ) -> PageOf[Row]: ...


class Versions(Protocol):
    """The frozen versions of each Form PR, as submitted."""

    async def of_report(self, report_id: UUID) -> list[Row]: ...

    async def get(self, report_id: UUID, version: int, *, for_update: bool = False) -> Row | None: ...

    async def add(self, values: Row) -> Row: ...

    async def latest_by_report(self) -> dict[UUID, Row]: ...

    async def decide(
        self,
        report_id: UUID,
        version: int,
        *,
        state: str,
        confirmation_number: str | None,
        reasons: list[str],
        at: datetime,
    ) -> None: ...


# ---------------------------------------------------------------- severance tax


class Prices(Protocol):
    async def of_lease_month(self, lease_id: UUID, month: date) -> dict[str, ProductPrice]: ...

    async def replace(self, lease_id: UUID, month: date, entries: Mapping[str, Row], *, by: str, at: datetime) -> None:
        """The month's whole set of prices (a product left out is cleared)."""

    async def months_priced(self, lease_id: UUID, among: list[date] | None = None) -> list[date]: ...

    async def leases_priced(self, month: date) -> list[UUID]: ...


class AccountingPrices(Protocol):
    async def keep(self, values: Row) -> bool:
        """Stored unless a newer price of the same month, product and lease is held."""

    async def of_lease_month(self, lease_id: UUID, month: date) -> dict[str, list[PostedPrice]]: ...

    async def months_priced(self, lease_id: UUID, among: list[date] | None = None) -> list[date]: ...

    async def leases_priced(self, month: date) -> list[UUID]: ...


class Reliefs(Protocol):
    async def grants(self, lease_id: UUID) -> list[ReliefGrant]: ...

    async def add(self, values: Row) -> None: ...

    async def listed(self, lease_id: UUID | None) -> list[Row]:
        """One lease's grants, or every lease's (None), by lease then oldest first."""


class Taxes(Protocol):
    async def get(self, lease_id: UUID, month: date) -> Row | None: ...

    async def save(self, values: Row) -> None: ...

    async def find(self, *, month: date | None, lease_id: UUID | None, limit: int, offset: int) -> PageOf[Row]: ...

    async def results_of_months(self, months: set[date]) -> list[tuple[date, Row]]: ...

    async def of_month(self, month: date) -> list[Row]: ...


# ---------------------------------------------------------------- filing calendar


class Obligations(Protocol):
    async def ensure(self, rows: list[Row]) -> None: ...

    async def set_state(
        self, obligation: str, period: date, *, state: str, done_at: datetime | None, done_by: str | None
    ) -> None: ...

    async def find(
        self,
        *,
        due_from: date | None,
        due_to: date | None,
        obligation: str | None,
        state: str | None,
        pending_only: bool,
        limit: int,
        offset: int,
        go_live: date | None = None,
    ) -> PageOf[Row]: ...

    async def get(self, obligation_id: UUID, *, for_update: bool = False) -> Row | None: ...

    async def mark_paid(self, obligation_id: UUID, *, at: datetime, by: str, note: str | None) -> Row: ...

    async def close_outside(
        self, obligation_id: UUID, *, at: datetime, by: str, confirmation: str, filed_on: date, note: str | None
    ) -> Row: ...

    async def reopen_outside(self, obligation_id: UUID) -> Row: ...

    async def pending(self) -> list[Row]: ...


class FilingScope(Protocol):
    async def get(self) -> Row | None: ...

    async def first_data_at(self) -> datetime | None: ...

    async def save(self, *, go_live_month: date | None, by: str, at: datetime, reason: str | None) -> None: ...

    async def audit(self, values: Row) -> None: ...

    async def audit_trail(self, *, obligation_id: UUID | None, limit: int, offset: int) -> PageOf[Row]: ...


class Notices(Protocol):
    async def sent(self) -> dict[UUID, set[str]]: ...

    async def claim(self, tenant_id: UUID, obligation_id: UUID, kind: str, at: datetime) -> bool:
        """True when this transaction is the one that sends the notice."""


# ---------------------------------------------------------------- the submission queue


class Submissions(Protocol):
    async def add(self, values: Row) -> bool:
        """False when the report version was already queued."""

    async def of_report_version(self, report_id: UUID, version: int) -> Row: ...

    async def get(self, submission_id: UUID, *, for_update: bool = False) -> Row | None: ...

    async def change(self, submission_id: UUID, **values: Any) -> None: ...

    async def release(self, submission_id: UUID, attempt_no: int, at: datetime) -> bool:
        """Back to queued (due ``at``) if still in flight with this attempt's number."""

    async def find(
        self, *, state: str | None, period: date | None, report_id: UUID | None, limit: int, offset: int
    ) -> PageOf[Row]: ...

    async def count_by_state(self) -> dict[str, int]: ...


class SubmissionSchedule(Protocol):
    """Due times of queued submissions across tenants (ids and a time: no tenant data)."""

    async def add(self, submission_id: UUID, tenant_id: UUID, at: datetime) -> None: ...

    async def put(self, submission_id: UUID, tenant_id: UUID, at: datetime) -> None:
        """Schedule (again) for ``at``, unclaimed, whether or not a row exists."""

    async def reschedule(self, submission_id: UUID, at: datetime) -> None: ...

    async def remove(self, submission_id: UUID) -> None: ...

    async def claim_due(
        self, *, now: datetime, limit: int, lease_until: datetime, worker: str
    ) -> list[tuple[UUID, UUID]]: ...

    async def depth(self) -> int: ...


class ComplianceWork(Work, Protocol):
    """One transaction of compliance: its repositories and the outbox (``record``)."""

    locks: Locks
    tenants: Tenants
    operators: Operators
    leases: Leases
    wells: Wells
    lease_months: LeaseMonths
    lease_lines: LeaseLines
    run_tickets: RunTickets
    reports: Reports
    lines: Lines
    adjustments: Adjustments
    versions: Versions
    prices: Prices
    accounting_prices: AccountingPrices
    reliefs: Reliefs
    taxes: Taxes
    obligations: Obligations
    scope: FilingScope
    notices: Notices
    submissions: Submissions
    schedule: SubmissionSchedule

    async def __aenter__(self) -> ComplianceWork: ...

    async def __aexit__(self, *exc: object) -> None: ...


class ComplianceDatabase(Protocol):
    """``Database(work_type=SqlComplianceWork)`` or ``FakeDatabase(FakeComplianceWork)``."""

    def unit_of_work(self, tenant_id: UUID | None) -> ComplianceWork: ...
