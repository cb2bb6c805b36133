"""The filing calendar's storage: obligations per production month, and the deadline notices sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, without_tenant

from ...domain.calendar import DONE_STATES, OUTSIDE_STATE
from ..tables import deadline_notices, filing_obligations, tenants
from ..tables_office import filing_audit, filing_scope

Row = dict[str, Any]


class SqlObligations(Repository):
    async def ensure(self, rows: list[Row]) -> None:
        tenant = self.organization_id
        values = [{"organization_id": tenant, **row} for row in rows]
        await self.execute(pg_insert(filing_obligations).values(values).on_conflict_do_nothing())

    async def set_state(
        self, obligation: str, period: date, *, state: str, done_at: datetime | None, done_by: str | None
    ) -> None:
        """A month filed outside WellFlow stays so (until an owner undoes it): a WellFlow filing of it later
        does not reopen or relabel it."""
        table = filing_obligations
        await self.execute(
            update(table)
            .where(table.c.obligation == obligation, table.c.period == period, table.c.state != OUTSIDE_STATE)
            .values(state=state, done_at=done_at, done_by=done_by)
        )

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
        """``pending_only``: still to do and in scope (due on or after ``go_live``, the first day of the go-live
        month; None: every obligation is in scope)."""
        table = filing_obligations
        conditions = []
        if due_from is not None:
            conditions.append(table.c.due_date >= due_from)
        if due_to is not None:
            conditions.append(table.c.due_date <= due_to)
        if obligation is not None:
            conditions.append(table.c.obligation == obligation)
        if state is not None:
            conditions.append(table.c.state == state)
        if pending_only:
            conditions.append(table.c.state.not_in(sorted(DONE_STATES)))
            if go_live is not None:
                conditions.append(table.c.due_date >= go_live)
        query = (
            select(table).where(*conditions).order_by(table.c.due_date, table.c.obligation).limit(limit).offset(offset)
        )
        rows = await self.all(query)
        total = await self.scalar(select(func.count()).select_from(table).where(*conditions))
        return PageOf([without_tenant(row) for row in rows], int(total), limit, offset)

    async def get(self, obligation_id: UUID, *, for_update: bool = False) -> Row | None:
        query = select(filing_obligations).where(filing_obligations.c.id == obligation_id)
        row = await self.optional(query.with_for_update() if for_update else query)
        return without_tenant(row) if row is not None else None

    async def mark_paid(self, obligation_id: UUID, *, at: datetime, by: str, note: str | None) -> Row:
        await self.execute(
            update(filing_obligations)
            .where(filing_obligations.c.id == obligation_id)
            .values(state="paid", done_at=at, done_by=by, note=note)
        )
        row = await self.get(obligation_id)
        assert row is not None
        return row

    async def close_outside(
        self, obligation_id: UUID, *, at: datetime, by: str, confirmation: str, filed_on: date, note: str | None
    ) -> Row:
        table = filing_obligations
        await self.execute(
            update(table)
            .where(table.c.id == obligation_id)
            .values(
                state=OUTSIDE_STATE,
                state_before_outside=table.c.state,
                done_at=at,
                done_by=by,
                note=note,
                outside_confirmation=confirmation,
                outside_filed_on=filed_on,
            )
        )
        return await self._reread(obligation_id)

    async def reopen_outside(self, obligation_id: UUID) -> Row:
        """Back to the state it had before it was marked filed outside WellFlow."""
        table = filing_obligations
        await self.execute(
            update(table)
            .where(table.c.id == obligation_id, table.c.state == OUTSIDE_STATE)
            .values(
                state=func.coalesce(table.c.state_before_outside, "open"),
                state_before_outside=None,
                done_at=None,
                done_by=None,
                note=None,
                outside_confirmation=None,
                outside_filed_on=None,
            )
        )
        return await self._reread(obligation_id)

    async def _reread(self, obligation_id: UUID) -> Row:
        row = await self.get(obligation_id)
        assert row is not None
        return row

    async def pending(self) -> list[Row]:
        query = select(filing_obligations).where(filing_obligations.c.state.not_in(sorted(DONE_STATES)))
        return [without_tenant(row) for row in await self.all(query)]


class SqlNotices(Repository):
    async def sent(self) -> dict[UUID, set[str]]:
        already: dict[UUID, set[str]] = {}
        for obligation_id, kind in (
            await self.execute(select(deadline_notices.c.obligation_id, deadline_notices.c.kind))
        ).all():
            already.setdefault(obligation_id, set()).add(kind)
        return already

    async def claim(self, tenant_id: UUID, obligation_id: UUID, kind: str, at: datetime) -> bool:
        statement = (
            pg_insert(deadline_notices)
            .values(organization_id=tenant_id, obligation_id=obligation_id, kind=kind, sent_at=at)
            .on_conflict_do_nothing()
            .returning(deadline_notices.c.kind)
        )
        return (await self.execute(statement)).first() is not None


class SqlFilingScope(Repository):
    """The organization's go-live month, the day its first data arrived, and the audit trail of both."""

    async def get(self) -> Row | None:
        row = await self.optional(select(filing_scope))
        return without_tenant(row) if row is not None else None

    async def first_data_at(self) -> datetime | None:
        """When compliance first heard of the organization (``tenants`` holds ids and that time only)."""
        query = select(tenants.c.first_seen_at).where(tenants.c.tenant_id == self.organization_id)
        return await self.scalar(query)  # type: ignore[no-any-return]

    async def save(self, *, go_live_month: date | None, by: str, at: datetime, reason: str | None) -> None:
        values = {"go_live_month": go_live_month, "set_by": by, "set_at": at, "reason": reason}
        statement = pg_insert(filing_scope).values(organization_id=self.organization_id, **values)
        await self.execute(statement.on_conflict_do_update(index_elements=["organization_id"], set_=values))

    async def audit(self, values: Row) -> None:
        await self.execute(pg_insert(filing_audit).values(organization_id=self.organization_id, **values))

    async def audit_trail(self, *, obligation_id: UUID | None, limit: int, offset: int) -> PageOf[Row]:
        conditions = [] if obligation_id is None else [filing_audit.c.obligation_id == obligation_id]
        query = select(filing_audit).where(*conditions).order_by(filing_audit.c.at.desc(), filing_audit.c.id.desc())
        rows = await self.all(query.limit(limit).offset(offset))
        total = await self.scalar(select(func.count()).select_from(filing_audit).where(*conditions))
        return PageOf([without_tenant(row) for row in rows], int(total), limit, offset)
