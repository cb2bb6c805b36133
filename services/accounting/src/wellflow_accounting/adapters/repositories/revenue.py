"""Revenue distribution runs: the run, its valued sales, owner lines and settlements, and what finalized runs
distributed before (for late corrections, statements and the general ledger)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, insert, select, update

from wellflow_servicekit.repository import Row

from ..bulk import insert_rows
from ..tables import (
    distribution_runs,
    distribution_sales,
    lease_months,
    owner_lines,
    owner_settlements,
    partners,
    severance_taxes,
)
from .base import AccountingRepository


def owner_lines_with_sales() -> Any:
    """Owner lines, each with its sale's figures: what an owner statement and a check stub print."""
    return select(
        owner_lines,
        distribution_sales.c.volume,
        distribution_sales.c.price,
        distribution_sales.c.gross_value,
        distribution_sales.c.severance_tax,
        distribution_sales.c.deductions.label("sale_deductions"),
        distribution_sales.c.explanation,
    ).join(
        distribution_sales,
        and_(
            distribution_sales.c.id == owner_lines.c.sale_id,
            distribution_sales.c.organization_id == owner_lines.c.organization_id,
        ),
    )


class SqlDistributionRuns(AccountingRepository):
    async def lock(self, organization_id: UUID) -> None:
        """Runs and finalizations of one organization happen one at a time (they read and move suspense)."""
        await self.advisory_lock(f"accounting-distribution:{organization_id}")

    async def for_month(self, month: date) -> Row | None:
        return await self.optional(select(distribution_runs).where(distribution_runs.c.month == month))

    async def finalized_for_month(self, month: date) -> Row | None:
        return await self.optional(
            select(distribution_runs).where(
                distribution_runs.c.month == month, distribution_runs.c.status == "finalized"
            )
        )

    async def status_of_month(self, month: date) -> str | None:
        return await self.scalar(select(distribution_runs.c.status).where(distribution_runs.c.month == month))  # type: ignore[no-any-return]

    async def delete(self, run_id: UUID) -> None:
        await self.execute(delete(distribution_runs).where(distribution_runs.c.id == run_id))

    async def add(
        self,
        run: dict[str, Any],
        sales: list[dict[str, Any]],
        lines: list[dict[str, Any]],
        settlements: list[dict[str, Any]],
    ) -> None:
        """A draft run with its sales, owner lines (bulk) and settlements."""
        await self.execute(insert(distribution_runs).values(run))
        await insert_rows(self.connection, distribution_sales, sales)
        if lines:
            await insert_rows(self.connection, owner_lines, lines)
        if settlements:
            await self.execute(insert(owner_settlements), settlements)

    async def get(self, run_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(distribution_runs).where(distribution_runs.c.id == run_id)
        if lock:
            query = query.with_for_update()
        return await self.optional(query)

    async def sales(self, run_id: UUID) -> list[Row]:
        return await self.rows(
            select(distribution_sales)
            .where(distribution_sales.c.run_id == run_id)
            .order_by(
                distribution_sales.c.is_adjustment,
                distribution_sales.c.month,
                distribution_sales.c.lease_id,
                distribution_sales.c.product,
            )
        )

    async def page_of_runs(self, *, status: str | None, limit: int, offset: int) -> dict[str, Any]:
        query = select(distribution_runs, func.count().over().label("_total"))
        if status is not None:
            query = query.where(distribution_runs.c.status == status)
        query = query.order_by(distribution_runs.c.month.desc())
        return await self.page_of(query, limit, offset)

    async def finalized_since(self, moment: datetime) -> int:
        return int(
            await self.scalar(
                select(func.count()).where(
                    distribution_runs.c.status == "finalized", distribution_runs.c.finalized_at > moment
                )
            )
        )

    async def settlements(self, run_id: UUID) -> list[Row]:
        return await self.rows(select(owner_settlements).where(owner_settlements.c.run_id == run_id))

    async def finalize(self, run_id: UUID, by: str, at: datetime) -> None:
        await self.execute(
            update(distribution_runs)
            .where(distribution_runs.c.id == run_id)
            .values(status="finalized", finalized_by=by, finalized_at=at)
        )

    async def lease_ids(self, run_id: UUID) -> list[UUID]:
        rows = await self.execute(
            select(distribution_sales.c.lease_id).where(distribution_sales.c.run_id == run_id).distinct()
        )
        return sorted({r.lease_id for r in rows}, key=str)

    async def finalized_months_before(self, month: date) -> list[date]:
        return [
            r.month
            for r in await self.execute(
                select(distribution_runs.c.month).where(
                    distribution_runs.c.status == "finalized", distribution_runs.c.month < month
                )
            )
        ]

    async def changed_since_distributed(self, months: list[date]) -> list[Row]:
        """Lease-months of ``months`` whose volumes (production) or severance tax (compliance) have a newer
        revision than finalized runs distributed: lease_id, month, revision, tax_revision, old, old_tax."""
        distributed = (
            select(
                distribution_sales.c.lease_id,
                distribution_sales.c.month,
                func.max(distribution_sales.c.revision).label("revision"),
                func.max(distribution_sales.c.tax_revision).label("tax_revision"),
            )
            .join(
                distribution_runs,
                and_(
                    distribution_runs.c.id == distribution_sales.c.run_id,
                    distribution_runs.c.organization_id == distribution_sales.c.organization_id,
                ),
            )
            .where(distribution_runs.c.status == "finalized")
            .group_by(distribution_sales.c.lease_id, distribution_sales.c.month)
            .subquery()
        )
        tax_revision = func.coalesce(severance_taxes.c.revision, 0)
        return await self.rows(
            select(
                lease_months.c.lease_id,
                lease_months.c.month,
                lease_months.c.revision,
                tax_revision.label("tax_revision"),
                distributed.c.revision.label("old"),
                distributed.c.tax_revision.label("old_tax"),
            )
            .outerjoin(
                distributed,
                and_(distributed.c.lease_id == lease_months.c.lease_id, distributed.c.month == lease_months.c.month),
            )
            .outerjoin(
                severance_taxes,
                and_(
                    severance_taxes.c.lease_id == lease_months.c.lease_id,
                    severance_taxes.c.month == lease_months.c.month,
                    severance_taxes.c.organization_id == lease_months.c.organization_id,
                ),
            )
            .where(
                lease_months.c.month.in_(months),
                (distributed.c.revision.is_(None))
                | (lease_months.c.revision > distributed.c.revision)
                | (tax_revision > distributed.c.tax_revision),
            )
            .order_by(lease_months.c.month, lease_months.c.lease_id)
        )

    async def distributed_sales(self, lease_id: UUID, month: date) -> tuple[list[Row], dict[str, Any]]:
        """What finalized runs distributed for the lease and month, summed per product, and each product's
        last price."""
        finalized = select(distribution_runs.c.id).where(distribution_runs.c.status == "finalized")
        where = (
            distribution_sales.c.lease_id == lease_id,
            distribution_sales.c.month == month,
            distribution_sales.c.run_id.in_(finalized),
        )
        sale_rows = await self.rows(
            select(
                distribution_sales.c.product,
                func.sum(distribution_sales.c.volume).label("volume"),
                func.sum(distribution_sales.c.gross_value).label("gross_value"),
                func.sum(distribution_sales.c.severance_tax).label("severance_tax"),
                func.sum(distribution_sales.c.deductions).label("deductions"),
            )
            .where(*where)
            .group_by(distribution_sales.c.product)
        )
        last_price = {
            r.product: r.price
            for r in await self.execute(
                select(distribution_sales.c.product, distribution_sales.c.price)
                .where(*where)
                .order_by(distribution_sales.c.id)
            )
        }
        return sale_rows, last_price

    async def distributed_shares(self, lease_id: UUID, month: date) -> list[Row]:
        """Each owner's share that finalized runs distributed for the lease and month, summed per product."""
        finalized = select(distribution_runs.c.id).where(distribution_runs.c.status == "finalized")
        return await self.rows(
            select(
                owner_lines.c.product,
                owner_lines.c.partner_id,
                owner_lines.c.interest_type,
                func.max(owner_lines.c.decimal).label("decimal"),
                func.sum(owner_lines.c.gross).label("gross"),
                func.sum(owner_lines.c.tax).label("tax"),
                func.sum(owner_lines.c.deductions).label("deductions"),
            )
            .where(
                owner_lines.c.lease_id == lease_id, owner_lines.c.month == month, owner_lines.c.run_id.in_(finalized)
            )
            .group_by(owner_lines.c.product, owner_lines.c.partner_id, owner_lines.c.interest_type)
        )

    async def settlement_of(self, run_id: UUID, partner_id: UUID) -> Row | None:
        return await self.optional(
            select(owner_settlements).where(
                owner_settlements.c.run_id == run_id, owner_settlements.c.partner_id == partner_id
            )
        )

    async def statement_lines(self, run_id: UUID, partner_id: UUID) -> list[Row]:
        """The owner's lines in the run, each with its sale's figures."""
        return await self.rows(
            owner_lines_with_sales()
            .where(owner_lines.c.run_id == run_id, owner_lines.c.partner_id == partner_id)
            .order_by(owner_lines.c.is_adjustment, owner_lines.c.month, owner_lines.c.lease_id, owner_lines.c.product)
        )

    def _settlements_with_names(self, run_id: UUID) -> Any:
        return (
            select(owner_settlements, partners.c.name)
            .join(
                partners,
                and_(
                    partners.c.id == owner_settlements.c.partner_id,
                    partners.c.organization_id == owner_settlements.c.organization_id,
                ),
            )
            .where(owner_settlements.c.run_id == run_id)
            .order_by(partners.c.name, owner_settlements.c.partner_id)
        )

    async def page_of_settlements(self, run_id: UUID, *, paid_only: bool, limit: int, offset: int) -> dict[str, Any]:
        query = self._settlements_with_names(run_id).add_columns(func.count().over().label("_total"))
        if paid_only:
            query = query.where(owner_settlements.c.paid != 0)
        return await self.page_of(query, limit, offset)

    async def settlements_with_names(self, run_id: UUID) -> list[Row]:
        return await self.rows(self._settlements_with_names(run_id))
