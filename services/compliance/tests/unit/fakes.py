"""The fake unit of work of compliance (``FakeComplianceWork``): every repository of ``app/ports.py`` in
memory, so the rule-bearing use cases run without PostgreSQL on ``FakeDatabase(FakeComplianceWork)`` (the
integration tests keep proving the SQL twins in ``adapters/repositories/``). The calendar's and the
submission queue's stores are here, the others in ``fake_stores.py``; conftest.py makes both importable
(as ``wellflow_compliance_unit_fakes`` and ``wellflow_compliance_unit_fake_stores``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from wellflow_compliance.app.lease_lines import RepositoryLeaseLines
from wellflow_compliance.domain.calendar import DONE_STATES, OUTSIDE_STATE
from wellflow_compliance.domain.valuation import PostedPrice
from wellflow_compliance_unit_fake_stores import (
    InMemoryAdjustments,
    InMemoryLeaseMonths,
    InMemoryLeases,
    InMemoryLines,
    InMemoryLocks,
    InMemoryOperators,
    InMemoryPrices,
    InMemoryReliefs,
    InMemoryReports,
    InMemoryRunTickets,
    InMemoryTaxes,
    InMemoryTenants,
    InMemoryVersions,
    InMemoryWells,
    Store,
    page_of,
)
from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import repository
from wellflow_servicekit.testing import FakeUnitOfWork

Row = dict[str, Any]


class InMemoryObligations(Store):
    async def ensure(self, rows: list[Row]) -> None:
        for row in rows:
            if not self.rows(obligation=row["obligation"], period=row["period"]):
                self.put_row(row["id"], {"done_at": None, "done_by": None, "note": None, **row})

    async def set_state(
        self, obligation: str, period: date, *, state: str, done_at: datetime | None, done_by: str | None
    ) -> None:
        for row in self.rows(obligation=obligation, period=period):
            if row["state"] != OUTSIDE_STATE:
                self.update(row["id"], state=state, done_at=done_at, done_by=done_by)

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
    ) -> PageOf[Row]:
        rows = [
            row
            for row in self.rows()
            if (due_from is None or row["due_date"] >= due_from)
            and (due_to is None or row["due_date"] <= due_to)
            and (obligation is None or row["obligation"] == obligation)
            and (state is None or row["state"] == state)
            and not (pending_only and row["state"] in DONE_STATES)
            and not (pending_only and go_live is not None and row["due_date"] < go_live)
        ]
        return page_of(sorted(rows, key=lambda row: (row["due_date"], row["obligation"])), limit, offset)

    async def get(self, obligation_id: UUID, *, for_update: bool = False) -> Row | None:
        return self.one_or_none(obligation_id)

    async def mark_paid(self, obligation_id: UUID, *, at: datetime, by: str, note: str | None) -> Row:
        self.update(obligation_id, state="paid", done_at=at, done_by=by, note=note)
        return self.one_or_none(obligation_id)  # type: ignore[return-value]

    async def close_outside(
        self, obligation_id: UUID, *, at: datetime, by: str, confirmation: str, filed_on: date, note: str | None
    ) -> Row:
        before = (await self.get(obligation_id) or {}).get("state")
        values = {"outside_confirmation": confirmation, "outside_filed_on": filed_on, "state_before_outside": before}
        self.update(obligation_id, state=OUTSIDE_STATE, done_at=at, done_by=by, note=note, **values)
        return self.one_or_none(obligation_id)  # type: ignore[return-value]

    async def reopen_outside(self, obligation_id: UUID) -> Row:
        row = await self.get(obligation_id)
        if row is not None and row["state"] == OUTSIDE_STATE:
            cleared = {"outside_confirmation": None, "outside_filed_on": None, "state_before_outside": None}
            state = row.get("state_before_outside") or "open"
            self.update(obligation_id, state=state, done_at=None, done_by=None, note=None, **cleared)
        return self.one_or_none(obligation_id)  # type: ignore[return-value]

    async def pending(self) -> list[Row]:
        return [row for row in self.rows() if row["state"] not in DONE_STATES]


class InMemoryAccountingPrices(Store):
    """Accounting's prices by (month, product, lease id or 'all'); lines of the month from the lines store."""

    async def keep(self, values: Row) -> bool:
        key = (values["month"], values["product"], str(values["lease_id"]) if values["lease_id"] else "all")
        held = self.get_row(key)
        if held is not None and held["recorded_at"] > values["recorded_at"]:
            return False
        self.put_row(key, dict(values))
        return True

    async def of_lease_month(self, lease_id: UUID, month: date) -> dict[str, list[PostedPrice]]:
        found: dict[str, list[PostedPrice]] = {}
        for row in self.rows(month=month):
            if row["lease_id"] in (None, lease_id):
                posted = PostedPrice(row["price"], row["source"], row["lease_id"] is not None, row["gross_value"])
                found.setdefault(row["product"], []).append(posted)
        return found

    async def months_priced(self, lease_id: UUID, among: list[date] | None = None) -> list[date]:
        months = {row["month"] for row in self.rows() if row["lease_id"] in (None, lease_id)}
        return sorted(m for m in months if among is None or m in among)

    async def leases_priced(self, month: date) -> list[UUID]:
        rows = self.rows(month=month)
        leases = {row["lease_id"] for row in rows if row["lease_id"] is not None}
        if any(row["lease_id"] is None for row in rows):
            lines = self.uow.database.stores.get("InMemoryLines", {}).values()
            mine = [line for line in lines if line.get("organization_id") == self.uow.tenant_id]
            leases |= {line["lease_id"] for line in mine if line.get("period") == month}
        return sorted(leases, key=str)


class InMemoryFilingScope(Store):
    """The go-live month (one row per tenant), the audit trail, and the arrival time from the tenants store."""

    async def get(self) -> Row | None:
        return self.one_or_none(("scope", self.organization_id))

    async def first_data_at(self) -> datetime | None:
        tenants = self.uow.database.stores.get("InMemoryTenants", {})
        row = tenants.get(self.organization_id)
        return row["first_seen_at"] if row else None

    async def save(self, *, go_live_month: date | None, by: str, at: datetime, reason: str | None) -> None:
        values = {"go_live_month": go_live_month, "set_by": by, "set_at": at, "reason": reason}
        self.put_row(("scope", self.organization_id), values)

    async def audit(self, values: Row) -> None:
        self.put_row(("audit", values["id"]), dict(values))

    async def audit_trail(self, *, obligation_id: UUID | None, limit: int, offset: int) -> PageOf[Row]:
        rows = [row for row in self.rows() if "action" in row]
        rows = [row for row in rows if obligation_id is None or row["obligation_id"] == obligation_id]
        return page_of(sorted(rows, key=lambda row: (row["at"], row["id"]), reverse=True), limit, offset)


class InMemoryNotices(Store):
    async def sent(self) -> dict[UUID, set[str]]:
        already: dict[UUID, set[str]] = {}
        for row in self.rows():
            already.setdefault(row["obligation_id"], set()).add(row["kind"])
        return already

    async def claim(self, tenant_id: UUID, obligation_id: UUID, kind: str, at: datetime) -> bool:
        if self.get_row((obligation_id, kind)) is not None:
            return False
        self.put_row((obligation_id, kind), {"obligation_id": obligation_id, "kind": kind, "sent_at": at})
        return True


class InMemorySubmissions(Store):
    async def add(self, values: Row) -> bool:
        if self.rows(report_id=values["report_id"], report_version=values["report_version"]):
            return False
        blank = {"last_error": None, "last_attempt_at": None, "confirmation_number": None, "accepted_at": None}
        self.put_row(values["id"], blank | {"retried_by": None} | values)
        return True

    async def of_report_version(self, report_id: UUID, version: int) -> Row:
        [row] = self.rows(report_id=report_id, report_version=version)
        return row

    async def get(self, submission_id: UUID, *, for_update: bool = False) -> Row | None:
        return self.one_or_none(submission_id)

    async def change(self, submission_id: UUID, **values: Any) -> None:
        self.update(submission_id, **values)

    async def release(self, submission_id: UUID, attempt_no: int, at: datetime) -> bool:
        row = self.get_row(submission_id)
        if row is None or row["state"] != "in_flight" or row["attempts"] != attempt_no:
            return False
        self.update(submission_id, state="queued", next_attempt_at=at, updated_at=at)
        return True

    async def find(
        self, *, state: str | None, period: date | None, report_id: UUID | None, limit: int, offset: int
    ) -> PageOf[Row]:
        rows = [
            row
            for row in self.rows()
            if (state is None or row["state"] == state)
            and (period is None or row["period"] == period)
            and (report_id is None or row["report_id"] == report_id)
        ]
        return page_of(sorted(rows, key=lambda row: (row["created_at"], row["id"]), reverse=True), limit, offset)

    async def count_by_state(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows():
            counts[row["state"]] = counts.get(row["state"], 0) + 1
        return counts


class InMemorySubmissionSchedule(Store):
    """Not a tenant table: every tenant's due times, seen by system work (no tenant) as by the SQL one."""

    async def add(self, submission_id: UUID, tenant_id: UUID, at: datetime) -> None:
        self._rows[submission_id] = {"submission_id": submission_id, "tenant_id": tenant_id, "next_attempt_at": at}
        self._rows[submission_id]["claimed_by"] = None

    async def put(self, submission_id: UUID, tenant_id: UUID, at: datetime) -> None:
        await self.add(submission_id, tenant_id, at)

    async def reschedule(self, submission_id: UUID, at: datetime) -> None:
        if submission_id in self._rows:
            self._rows[submission_id].update(next_attempt_at=at, claimed_by=None)

    async def remove(self, submission_id: UUID) -> None:
        self._rows.pop(submission_id, None)

    async def claim_due(
        self, *, now: datetime, limit: int, lease_until: datetime, worker: str
    ) -> list[tuple[UUID, UUID]]:
        due = sorted(
            (row for row in self._rows.values() if row["next_attempt_at"] <= now),
            key=lambda row: row["next_attempt_at"],
        )
        for row in due[:limit]:
            row.update(next_attempt_at=lease_until, claimed_by=worker)
        return [(row["submission_id"], row["tenant_id"]) for row in due[:limit]]

    async def depth(self) -> int:
        return len(self._rows)


class FakeComplianceWork(FakeUnitOfWork):
    locks = repository(InMemoryLocks)
    tenants = repository(InMemoryTenants)
    operators = repository(InMemoryOperators)
    leases = repository(InMemoryLeases)
    wells = repository(InMemoryWells)
    lease_months = repository(InMemoryLeaseMonths)
    lease_lines = repository(RepositoryLeaseLines)
    run_tickets = repository(InMemoryRunTickets)
    reports = repository(InMemoryReports)
    lines = repository(InMemoryLines)
    adjustments = repository(InMemoryAdjustments)
    versions = repository(InMemoryVersions)
    prices = repository(InMemoryPrices)
    reliefs = repository(InMemoryReliefs)
    taxes = repository(InMemoryTaxes)
    obligations = repository(InMemoryObligations)
    accounting_prices = repository(InMemoryAccountingPrices)
    scope = repository(InMemoryFilingScope)
    notices = repository(InMemoryNotices)
    submissions = repository(InMemorySubmissions)
    schedule = repository(InMemorySubmissionSchedule)
