"""The submission queue's storage: ``submissions`` (a tenant table, under RLS) and ``submission_schedule``
(ids and due times of every tenant, which the workers claim with ``FOR UPDATE SKIP LOCKED``), and the
LISTEN that wakes a worker when a submission is queued in any process."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.background import listen_for_notifications
from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, without_tenant

from ...app.submissions.worker import Listen
from ..tables import submission_schedule, submissions

Row = dict[str, Any]

NOTIFY_CHANNEL = "wellflow_submissions"  # sent by a trigger on submission_schedule inserts (migration 0002)

_CLAIM = text(
    """
    WITH due AS (
        SELECT submission_id FROM submission_schedule
         WHERE next_attempt_at <= :now
         ORDER BY next_attempt_at
         LIMIT :limit
           FOR UPDATE SKIP LOCKED
    )
    UPDATE submission_schedule AS s
       SET next_attempt_at = :lease_until, claimed_by = :worker
      FROM due
     WHERE s.submission_id = due.submission_id
 RETURNING s.submission_id, s.tenant_id
    """
)


class SqlSubmissions(Repository):
    async def add(self, values: Row) -> bool:
        statement = (
            pg_insert(submissions)
            .values(organization_id=self.organization_id, **values)
            .on_conflict_do_nothing()
            .returning(submissions.c.id)
        )
        return (await self.execute(statement)).scalar_one_or_none() is not None

    async def of_report_version(self, report_id: UUID, version: int) -> Row:
        query = select(submissions).where(
            submissions.c.organization_id == self.organization_id,
            submissions.c.report_id == report_id,
            submissions.c.report_version == version,
        )
        return without_tenant(await self.one(query))

    async def get(self, submission_id: UUID, *, for_update: bool = False) -> Row | None:
        query = select(submissions).where(submissions.c.id == submission_id)
        row = await self.optional(query.with_for_update() if for_update else query)
        return without_tenant(row) if row is not None else None

    async def change(self, submission_id: UUID, **values: Any) -> None:
        await self.execute(update(submissions).where(submissions.c.id == submission_id).values(**values))

    async def release(self, submission_id: UUID, attempt_no: int, at: datetime) -> bool:
        released = await self.execute(
            update(submissions)
            .where(
                submissions.c.id == submission_id,
                submissions.c.state == "in_flight",
                submissions.c.attempts == attempt_no,
            )
            .values(state="queued", next_attempt_at=at, updated_at=at)
        )
        return bool(released.rowcount)

    async def find(
        self, *, state: str | None, period: date | None, report_id: UUID | None, limit: int, offset: int
    ) -> PageOf[Row]:
        conditions = [submissions.c.organization_id == self.organization_id]
        if state is not None:
            conditions.append(submissions.c.state == state)
        if period is not None:
            conditions.append(submissions.c.period == period)
        if report_id is not None:
            conditions.append(submissions.c.report_id == report_id)
        total = await self.scalar(select(func.count()).where(*conditions))
        query = (
            select(submissions)
            .where(*conditions)
            .order_by(submissions.c.created_at.desc(), submissions.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return PageOf([without_tenant(row) for row in await self.all(query)], int(total), limit, offset)

    async def count_by_state(self) -> dict[str, int]:
        query = select(submissions.c.state, func.count()).group_by(submissions.c.state)
        return dict((await self.execute(query)).all())


class SqlSubmissionSchedule(Repository):
    async def add(self, submission_id: UUID, tenant_id: UUID, at: datetime) -> None:
        await self.execute(
            pg_insert(submission_schedule).values(submission_id=submission_id, tenant_id=tenant_id, next_attempt_at=at)
        )

    async def put(self, submission_id: UUID, tenant_id: UUID, at: datetime) -> None:
        await self.execute(
            pg_insert(submission_schedule)
            .values(submission_id=submission_id, tenant_id=tenant_id, next_attempt_at=at)
            .on_conflict_do_update(
                index_elements=[submission_schedule.c.submission_id], set_={"next_attempt_at": at, "claimed_by": None}
            )
        )

    async def reschedule(self, submission_id: UUID, at: datetime) -> None:
        await self.execute(
            update(submission_schedule)
            .where(submission_schedule.c.submission_id == submission_id)
            .values(next_attempt_at=at, claimed_by=None)
        )

    async def remove(self, submission_id: UUID) -> None:
        await self.execute(delete(submission_schedule).where(submission_schedule.c.submission_id == submission_id))

    async def claim_due(
        self, *, now: datetime, limit: int, lease_until: datetime, worker: str
    ) -> list[tuple[UUID, UUID]]:
        parameters = {"now": now, "limit": limit, "lease_until": lease_until, "worker": worker}
        rows = (await self.execute(_CLAIM, parameters)).all()
        return [(row.submission_id, row.tenant_id) for row in rows]

    async def depth(self) -> int:
        return int(await self.scalar(select(func.count()).select_from(submission_schedule)))


def submission_listener(database_url: str) -> Listen:
    """What wakes a worker: ``listen(wake, stopping)`` sets ``wake`` on every NOTIFY of a queued submission
    (and on each (re)connection), until ``stopping`` is set."""

    async def listen(wake: asyncio.Event, stopping: asyncio.Event) -> None:
        await listen_for_notifications(database_url, NOTIFY_CHANNEL, wake, stopping, what="submission LISTEN")

    return listen
