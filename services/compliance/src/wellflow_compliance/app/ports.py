"""What compliance's use cases need from storage and from the RRC portal, as protocols: one per repository,
the unit of work that holds them (``ComplianceWork``), and the portal client, its breaker and the queue's
settings. ``adapters/`` implements them (SQL, httpx, pybreaker); ``tests/unit/fakes.py`` in memory.

Rows are plain dicts of a table's columns without ``organization_id`` (the unit of work's tenant).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from uuid import UUID

from wellflow_servicekit.kernel import PageOf, Work
from wellflow_texas.reliefs import ReliefGrant

from ..domain.form_pr import Adjustment, LeaseFacts, LeaseMonth
from ..domain.severance import ProductPrice

Row = dict[str, Any]
T = TypeVar("T")


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


class Leases(Protocol):
    """Compliance's copy of the registry's leases (and, through ``facts``, their wells)."""

    async def apply(self, lease_id: UUID, values: Row) -> bool: ...

    async def get(self, lease_id: UUID) -> Row | None: ...

    async def facts(self, lease_id: UUID | None = None) -> dict[UUID, LeaseFacts]: ...

    async def page(
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

    async def sums(self, period: date, lease_id: UUID | None = None) -> dict[UUID, dict[str, Decimal]]: ...


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

    async def page(
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


class Reliefs(Protocol):
    async def grants(self, lease_id: UUID) -> list[ReliefGrant]: ...

    async def add(self, values: Row) -> None: ...

    async def listed(self, lease_id: UUID | None) -> list[Row]:
        """One lease's grants, or every lease's (None), by lease then oldest first."""


class Taxes(Protocol):
    async def get(self, lease_id: UUID, month: date) -> Row | None: ...

    async def save(self, values: Row) -> None: ...

    async def page(self, *, month: date | None, lease_id: UUID | None, limit: int, offset: int) -> PageOf[Row]: ...

    async def results_of_months(self, months: set[date]) -> list[tuple[date, Row]]: ...


# ---------------------------------------------------------------- filing calendar


class Obligations(Protocol):
    async def ensure(self, rows: list[Row]) -> None: ...

    async def set_state(
        self, obligation: str, period: date, *, state: str, done_at: datetime | None, done_by: str | None
    ) -> None: ...

    async def page(
        self,
        *,
        due_from: date | None,
        due_to: date | None,
        obligation: str | None,
        state: str | None,
        pending_only: bool,
        limit: int,
        offset: int,
    ) -> PageOf[Row]: ...

    async def get(self, obligation_id: UUID, *, for_update: bool = False) -> Row | None: ...

    async def mark_paid(self, obligation_id: UUID, *, at: datetime, by: str, note: str | None) -> Row: ...

    async def pending(self) -> list[Row]: ...


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

    async def page(
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
    run_tickets: RunTickets
    reports: Reports
    lines: Lines
    adjustments: Adjustments
    versions: Versions
    prices: Prices
    reliefs: Reliefs
    taxes: Taxes
    obligations: Obligations
    notices: Notices
    submissions: Submissions
    schedule: SubmissionSchedule

    async def __aenter__(self) -> ComplianceWork: ...

    async def __aexit__(self, *exc: object) -> None: ...


class ComplianceDatabase(Protocol):
    """``Database(work_type=SqlComplianceWork)`` or ``FakeDatabase(FakeComplianceWork)``."""

    def unit_of_work(self, tenant_id: UUID | None) -> ComplianceWork: ...


# ---------------------------------------------------------------- the RRC portal


@dataclass(frozen=True)
class PortalReceipt:
    """The portal filed the report (now or on an earlier call with the same submission key)."""

    confirmation_number: str
    accepted_at: datetime


class PortalRejected(Exception):
    """The portal refused the report; trying again cannot help until the report is corrected."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons) or ["The portal refused the report without giving a reason."]
        super().__init__("; ".join(self.reasons))


class PortalUnavailable(Exception):
    """The portal could not take the report now (timeout, connection, 5xx, 429); try again later.

    `retry_after` is the portal's own advice in seconds (Retry-After), when it gave one.
    """

    def __init__(self, reason: str, *, retry_after: float | None = None, status: int | None = None) -> None:
        self.reason = reason
        self.retry_after = retry_after
        self.status = status
        super().__init__(reason)


class BreakerOpen(Exception):
    """The breaker refused the call without reaching the portal; `retry_after` says when it may let one through."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"circuit breaker open: the portal is not called for another {retry_after:.1f} s")


class PortalAdapter(Protocol):
    """Files one Form PR version. The same `submission_key` must never file twice, however often it is sent."""

    async def submit(self, submission_key: str, payload: dict[str, Any]) -> PortalReceipt: ...

    async def aclose(self) -> None: ...


class Breaker(Protocol):
    """The circuit breaker every call to the portal goes through (raises ``BreakerOpen`` when it refuses)."""

    @property
    def state(self) -> str: ...

    @property
    def fail_counter(self) -> int: ...

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T: ...

    def snapshot(self) -> dict[str, Any]: ...


class QueuePolicy(Protocol):
    """The settings the submission queue follows (``PortalSettings`` has them)."""

    rrc_portal_adapter: str
    portal_timeout_seconds: float
    portal_retry_attempts: int
    portal_retry_initial_seconds: float
    portal_retry_max_seconds: float
    submission_max_attempts: int
    submission_backoff_base_seconds: float
    submission_backoff_max_seconds: float
    submission_poll_interval_seconds: float
    submission_batch_size: int


class WorkerMetrics(Protocol):
    def attempted(self, outcome: str) -> None: ...

    def gave_up(self) -> None: ...

    def queue_depth(self, depth: int) -> None: ...
