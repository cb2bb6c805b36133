"""The filing calendar's storage: obligations per production month, and the deadline notices sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, without_tenant

from ...domain.calendar import DONE_STATES
from ..tables import deadline_notices, filing_obligations

Row = dict[str, Any]


class SqlObligations(Repository):
    async def ensure(self, rows: list[Row]) -> None:
        tenant = self.organization_id
        values = [{"organization_id": tenant, **row} for row in rows]
        await self.execute(pg_insert(filing_obligations).values(values).on_conflict_do_nothing())

    async def set_state(
        self, obligation: str, period: date, *, state: str, done_at: datetime | None, done_by: str | None
    ) -> None:
        await self.execute(
            update(filing_obligations)
            .where(filing_obligations.c.obligation == obligation, filing_obligations.c.period == period)
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
    ) -> PageOf[Row]:
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
