"""The Form PR's storage: reports (one per month), their draft lines, the office's adjustments and the
frozen versions submitted."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, driver_in_transaction, without_tenant

from ...domain.form_pr import Adjustment
from ..tables import form_pr_adjustments, form_pr_lines, form_pr_reports, form_pr_versions

Row = dict[str, Any]

_SAVE_LINE = (
    "INSERT INTO form_pr_lines (organization_id, period, lease_id, line, ending_stock, errors, warnings, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (organization_id, period, lease_id) DO UPDATE SET "
    "line = excluded.line, ending_stock = excluded.ending_stock, errors = excluded.errors, "
    "warnings = excluded.warnings, updated_at = excluded.updated_at"
)


class SqlReports(Repository):
    async def id_of(self, period: date) -> UUID | None:
        return await self.scalar(select(form_pr_reports.c.id).where(form_pr_reports.c.period == period))  # type: ignore[no-any-return]

    async def create(self, period: date, now: datetime) -> UUID | None:
        statement = (
            pg_insert(form_pr_reports)
            .values(organization_id=self.organization_id, id=uuid7(), period=period, created_at=now, regenerated_at=now)
            .on_conflict_do_nothing()
            .returning(form_pr_reports.c.id)
        )
        return (await self.execute(statement)).scalar_one_or_none()  # type: ignore[no-any-return]

    async def get(self, period: date, *, for_update: bool = False) -> Row | None:
        query = select(form_pr_reports).where(form_pr_reports.c.period == period)
        row = await self.optional(query.with_for_update() if for_update else query)
        return without_tenant(row) if row is not None else None

    async def newest_first(self, *, year: int | None) -> list[Row]:
        query = select(form_pr_reports).order_by(form_pr_reports.c.period.desc())
        if year is not None:
            query = query.where(func.extract("year", form_pr_reports.c.period) == year)
        return [without_tenant(row) for row in await self.all(query)]

    async def periods(self, *, since: date | None = None, after: date | None = None) -> list[date]:
        query = select(form_pr_reports.c.period).order_by(form_pr_reports.c.period)
        if since is not None:
            query = query.where(form_pr_reports.c.period >= since)
        if after is not None:
            query = query.where(form_pr_reports.c.period > after)
        return list((await self.execute(query)).scalars())

    async def previous_period(self, period: date) -> date | None:
        query = select(func.max(form_pr_reports.c.period)).where(form_pr_reports.c.period < period)
        return await self.scalar(query)  # type: ignore[no-any-return]

    async def regenerated(self, period: date, now: datetime) -> None:
        await self.execute(
            form_pr_reports.update().where(form_pr_reports.c.period == period).values(regenerated_at=now)
        )


class SqlLines(Repository):
    async def of_period(self, period: date) -> list[Row]:
        return list(
            (await self.execute(select(form_pr_lines.c.line).where(form_pr_lines.c.period == period))).scalars()
        )

    async def endings(self, period: date | None) -> dict[UUID, int]:
        query = select(form_pr_lines.c.lease_id, form_pr_lines.c.ending_stock).where(form_pr_lines.c.period == period)
        return dict((await self.execute(query)).all())

    async def replace_period(self, period: date, rows: list[Row]) -> None:
        await self.execute(delete(form_pr_lines).where(form_pr_lines.c.period == period))
        if rows:
            tenant = self.organization_id
            await self.execute(insert(form_pr_lines), [{"organization_id": tenant, **row} for row in rows])

    async def of_lease_since(self, lease_id: UUID, since: date) -> list[Row]:
        query = select(form_pr_lines.c.period, form_pr_lines.c.line, form_pr_lines.c.ending_stock).where(
            form_pr_lines.c.lease_id == lease_id, form_pr_lines.c.period >= since
        )
        return await self.all(query)

    async def remove(self, period: date, lease_id: UUID) -> None:
        await self.execute(
            delete(form_pr_lines).where(form_pr_lines.c.period == period, form_pr_lines.c.lease_id == lease_id)
        )

    async def save(self, row: Row) -> None:
        """A lease's line of a period (every reading's event saves one): prepared on asyncpg."""
        driver = await driver_in_transaction(self.connection)
        await driver.execute(
            _SAVE_LINE,
            self.organization_id,
            row["period"],
            row["lease_id"],
            json.dumps(row["line"]),
            row["ending_stock"],
            row["errors"],
            row["warnings"],
            row["updated_at"],
        )

    async def line(self, lease_id: UUID, period: date) -> Row | None:
        query = select(form_pr_lines.c.line).where(
            form_pr_lines.c.lease_id == lease_id, form_pr_lines.c.period == period
        )
        return await self.scalar(query)  # type: ignore[no-any-return]

    async def counts_by_period(self) -> dict[date, Row]:
        query = select(
            form_pr_lines.c.period,
            func.count().label("leases"),
            func.coalesce(func.sum(form_pr_lines.c.errors), 0).label("errors"),
            func.coalesce(func.sum(form_pr_lines.c.warnings), 0).label("warnings"),
        ).group_by(form_pr_lines.c.period)
        return {row["period"]: row for row in await self.all(query)}


def adjustment(row: Row) -> Adjustment:
    return Adjustment(
        row["id"],
        row["product"],
        row["code"],
        row["volume"],
        row["authority"],
        row["remark"],
        row["reason"],
        row["created_by"],
    )


class SqlAdjustments(Repository):
    async def active(self, period: date, lease_id: UUID | None = None) -> dict[UUID, list[Adjustment]]:
        query = (
            select(form_pr_adjustments)
            .where(form_pr_adjustments.c.period == period, form_pr_adjustments.c.voided_at.is_(None))
            .order_by(form_pr_adjustments.c.created_at, form_pr_adjustments.c.id)
        )
        if lease_id is not None:
            query = query.where(form_pr_adjustments.c.lease_id == lease_id)
        found: dict[UUID, list[Adjustment]] = defaultdict(list)
        for row in await self.all(query):
            found[row["lease_id"]].append(adjustment(row))
        return found

    async def by_key(self, idempotency_key: str) -> Row | None:
        query = select(form_pr_adjustments).where(form_pr_adjustments.c.idempotency_key == idempotency_key)
        row = await self.optional(query)
        return without_tenant(row) if row is not None else None

    async def add(self, values: Row) -> Row:
        statement = form_pr_adjustments.insert().values(organization_id=self.organization_id, **values)
        try:
            return without_tenant(await self.one(statement.returning(form_pr_adjustments)))
        except IntegrityError:
            raise Conflict("An adjustment with this Idempotency-Key is being recorded; retry.", slug="retry") from None

    async def get(self, period: date, adjustment_id: UUID, *, for_update: bool = False) -> Row | None:
        query = select(form_pr_adjustments).where(
            form_pr_adjustments.c.id == adjustment_id, form_pr_adjustments.c.period == period
        )
        row = await self.optional(query.with_for_update() if for_update else query)
        return without_tenant(row) if row is not None else None

    async def void(self, adjustment_id: UUID, *, at: datetime, by: str, reason: str) -> Row:
        statement = (
            update(form_pr_adjustments)
            .where(form_pr_adjustments.c.id == adjustment_id)
            .values(voided_at=at, voided_by=by, void_reason=reason)
            .returning(form_pr_adjustments)
        )
        return without_tenant(await self.one(statement))

    async def find(
        self, period: date, *, lease_id: UUID | None, include_voided: bool, limit: int, offset: int
    ) -> PageOf[Row]:
        conditions = [form_pr_adjustments.c.period == period]
        if lease_id is not None:
            conditions.append(form_pr_adjustments.c.lease_id == lease_id)
        if not include_voided:
            conditions.append(form_pr_adjustments.c.voided_at.is_(None))
        query = (
            select(form_pr_adjustments)
            .where(*conditions)
            .order_by(form_pr_adjustments.c.created_at, form_pr_adjustments.c.id)
            .limit(limit)
            .offset(offset)
        )
        rows = await self.all(query)
        total = await self.scalar(select(func.count()).select_from(form_pr_adjustments).where(*conditions))
        return PageOf([without_tenant(row) for row in rows], int(total), limit, offset)


class SqlVersions(Repository):
    async def of_report(self, report_id: UUID) -> list[Row]:
        query = (
            select(form_pr_versions)
            .where(form_pr_versions.c.report_id == report_id)
            .order_by(form_pr_versions.c.version)
        )
        return [without_tenant(row) for row in await self.all(query)]

    async def get(self, report_id: UUID, version: int, *, for_update: bool = False) -> Row | None:
        query = select(form_pr_versions).where(
            form_pr_versions.c.report_id == report_id, form_pr_versions.c.version == version
        )
        row = await self.optional(query.with_for_update() if for_update else query)
        return without_tenant(row) if row is not None else None

    async def add(self, values: Row) -> Row:
        statement = form_pr_versions.insert().values(organization_id=self.organization_id, **values)
        return without_tenant(await self.one(statement.returning(form_pr_versions)))

    async def latest_by_report(self) -> dict[UUID, Row]:
        newest = (
            select(form_pr_versions.c.report_id, func.max(form_pr_versions.c.version).label("version"))
            .group_by(form_pr_versions.c.report_id)
            .subquery()
        )
        query = select(form_pr_versions).join(
            newest,
            (newest.c.report_id == form_pr_versions.c.report_id) & (newest.c.version == form_pr_versions.c.version),
        )
        return {row["report_id"]: without_tenant(row) for row in await self.all(query)}

    async def decide(
        self,
        report_id: UUID,
        version: int,
        *,
        state: str,
        confirmation_number: str | None,
        reasons: list[str],
        at: datetime,
    ) -> None:
        await self.execute(
            update(form_pr_versions)
            .where(form_pr_versions.c.report_id == report_id, form_pr_versions.c.version == version)
            .values(state=state, confirmation_number=confirmation_number, reasons=list(reasons), decided_at=at)
        )
