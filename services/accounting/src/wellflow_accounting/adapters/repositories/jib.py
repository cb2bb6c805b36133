"""Joint interest billing runs (lines, statements) and partners' payments."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, insert, select, update

from wellflow_servicekit.repository import Row

from ..tables import costs, jib_lines, jib_payments, jib_runs, jib_statements, leases, partners, wells
from .base import AccountingRepository


class SqlJibRuns(AccountingRepository):
    async def lock(self, organization_id: UUID) -> None:
        await self.advisory_lock(f"accounting-jib:{organization_id}")

    async def for_month(self, month: date) -> Row | None:
        return await self.optional(select(jib_runs).where(jib_runs.c.month == month))

    async def issued_for_month(self, month: date) -> Row | None:
        return await self.optional(select(jib_runs).where(jib_runs.c.month == month, jib_runs.c.status == "issued"))

    async def delete(self, run_id: UUID) -> None:
        await self.execute(delete(jib_runs).where(jib_runs.c.id == run_id))

    async def add(self, run: dict[str, Any], lines: list[dict[str, Any]], statements: list[dict[str, Any]]) -> None:
        await self.execute(insert(jib_runs).values(run))
        if lines:
            await self.execute(insert(jib_lines), lines)
        if statements:
            await self.execute(insert(jib_statements), statements)

    async def get(self, run_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(jib_runs).where(jib_runs.c.id == run_id)
        if lock:
            query = query.with_for_update()
        return await self.optional(query)

    async def statements_with_names(self, run_id: UUID) -> list[Row]:
        return await self.rows(
            select(jib_statements, partners.c.name)
            .join(
                partners,
                and_(
                    partners.c.id == jib_statements.c.partner_id,
                    partners.c.organization_id == jib_statements.c.organization_id,
                ),
            )
            .where(jib_statements.c.run_id == run_id)
            .order_by(partners.c.name)
        )

    async def page_of_runs(self, *, status: str | None, limit: int, offset: int) -> dict[str, Any]:
        query = select(jib_runs, func.count().over().label("_total"))
        if status is not None:
            query = query.where(jib_runs.c.status == status)
        return await self.page_of(query.order_by(jib_runs.c.month.desc()), limit, offset)

    async def issued_since(self, moment: datetime) -> int:
        return int(
            await self.scalar(select(func.count()).where(jib_runs.c.status == "issued", jib_runs.c.issued_at > moment))
        )

    async def issue(self, run_id: UUID, by: str, at: datetime) -> None:
        """Mark the run issued and the costs it billed as billed by it."""
        cost_ids = select(jib_lines.c.cost_id).where(jib_lines.c.run_id == run_id, jib_lines.c.cost_id.is_not(None))
        await self.execute(update(costs).where(costs.c.id.in_(cost_ids)).values(jib_run_id=run_id))
        await self.execute(
            update(jib_runs).where(jib_runs.c.id == run_id).values(status="issued", issued_by=by, issued_at=at)
        )

    async def statements(self, run_id: UUID) -> list[Row]:
        return await self.rows(select(jib_statements).where(jib_statements.c.run_id == run_id))

    async def statement_of(self, run_id: UUID, partner_id: UUID) -> Row | None:
        return await self.optional(
            select(jib_statements).where(jib_statements.c.run_id == run_id, jib_statements.c.partner_id == partner_id)
        )

    async def billed_before(self, month: date) -> dict[UUID, Decimal]:
        """What issued runs of earlier months billed each partner."""
        return {
            r.partner_id: r.total
            for r in await self.execute(
                select(jib_statements.c.partner_id, func.sum(jib_statements.c.billed).label("total"))
                .join(
                    jib_runs,
                    and_(
                        jib_runs.c.id == jib_statements.c.run_id,
                        jib_runs.c.organization_id == jib_statements.c.organization_id,
                    ),
                )
                .where(jib_runs.c.status == "issued", jib_runs.c.month < month)
                .group_by(jib_statements.c.partner_id)
            )
        }

    async def statement_lines(self, run_id: UUID, partner_id: UUID) -> list[Row]:
        return await self.rows(
            select(jib_lines, leases.c.name.label("lease"), wells.c.name.label("well"))
            .outerjoin(
                leases,
                and_(leases.c.id == jib_lines.c.lease_id, leases.c.organization_id == jib_lines.c.organization_id),
            )
            .outerjoin(
                wells, and_(wells.c.id == jib_lines.c.well_id, wells.c.organization_id == jib_lines.c.organization_id)
            )
            .where(jib_lines.c.run_id == run_id, jib_lines.c.partner_id == partner_id)
            .order_by(jib_lines.c.lease_id, jib_lines.c.incurred_on, jib_lines.c.category, jib_lines.c.id)
        )

    async def billed_by_partner_name(self, run_id: UUID) -> list[tuple[str, Decimal]]:
        rows = await self.execute(
            select(partners.c.name, jib_statements.c.billed)
            .join(
                partners,
                and_(
                    partners.c.id == jib_statements.c.partner_id,
                    partners.c.organization_id == jib_statements.c.organization_id,
                ),
            )
            .where(jib_statements.c.run_id == run_id)
            .order_by(partners.c.name)
        )
        return [(r[0], r[1]) for r in rows]

    async def net_by_category(self, run_id: UUID) -> list[tuple[str, Decimal]]:
        rows = await self.execute(
            select(jib_lines.c.category, func.sum(jib_lines.c.net))
            .where(jib_lines.c.run_id == run_id)
            .group_by(jib_lines.c.category)
            .order_by(jib_lines.c.category)
        )
        return [(r[0], r[1]) for r in rows]


class SqlJibPayments(AccountingRepository):
    async def add(
        self, row: dict[str, Any], request: Mapping[str, Any], *, prepare: Callable[[], Awaitable[None]]
    ) -> tuple[Row, bool]:
        return await self.create_once(jib_payments, row, request=request, noun="payment", prepare=prepare)

    async def page_of_payments(self, *, partner_id: UUID | None, limit: int, offset: int) -> dict[str, Any]:
        query = select(jib_payments, func.count().over().label("_total"))
        if partner_id is not None:
            query = query.where(jib_payments.c.partner_id == partner_id)
        return await self.page_of(query.order_by(jib_payments.c.received_on.desc(), jib_payments.c.id), limit, offset)

    async def received_before(self, end: date) -> list[Row]:
        return await self.rows(
            select(jib_payments.c.partner_id, jib_payments.c.received_on, jib_payments.c.amount).where(
                jib_payments.c.received_on < end
            )
        )
