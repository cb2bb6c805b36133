"""Escheat of unclaimed suspense: the owners' balances and activity, due-diligence letters, reports filed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Row

from ..tables import (
    distribution_runs,
    escheat_letters,
    escheat_reports,
    leases,
    owner_lines,
    owner_settlements,
    partners,
    suspense_entries,
)
from .base import AccountingRepository


class SqlEscheat(AccountingRepository):
    async def unclaimed(self) -> list[Row]:
        balances = (
            select(
                suspense_entries.c.partner_id,
                func.sum(suspense_entries.c.amount).label("amount"),
                func.min(func.date(suspense_entries.c.created_at)).label("first_held"),
            )
            .group_by(suspense_entries.c.partner_id)
            .having(func.sum(suspense_entries.c.amount) > 0)
            .subquery()
        )
        paid = (
            select(
                owner_settlements.c.partner_id, func.max(func.date(distribution_runs.c.finalized_at)).label("last_paid")
            )
            .select_from(
                owner_settlements.join(
                    distribution_runs,
                    and_(
                        distribution_runs.c.organization_id == owner_settlements.c.organization_id,
                        distribution_runs.c.id == owner_settlements.c.run_id,
                        distribution_runs.c.status == "finalized",
                    ),
                )
            )
            .where(owner_settlements.c.paid > 0)
            .group_by(owner_settlements.c.partner_id)
            .subquery()
        )
        query = (
            select(
                balances.c.partner_id,
                balances.c.amount,
                balances.c.first_held,
                paid.c.last_paid,
                partners.c.name,
                partners.c.owner_number,
                partners.c.tax_id,
                partners.c.roles,
                partners.c.address_line1,
                partners.c.address_line2,
                partners.c.city,
                partners.c.state,
                partners.c.postal_code,
            )
            .select_from(
                balances.join(partners, partners.c.id == balances.c.partner_id).outerjoin(
                    paid, paid.c.partner_id == balances.c.partner_id
                )
            )
            .order_by(partners.c.name, balances.c.partner_id)
        )
        return await self.rows(query)

    async def suspense_by_lease(self, partner_id: UUID) -> dict[tuple[UUID | None, str], Decimal]:
        rows = await self.execute(
            select(suspense_entries.c.lease_id, suspense_entries.c.reason, func.sum(suspense_entries.c.amount))
            .where(suspense_entries.c.partner_id == partner_id)
            .group_by(suspense_entries.c.lease_id, suspense_entries.c.reason)
            .having(func.sum(suspense_entries.c.amount) != 0)
        )
        return {(lease_id, reason): amount for lease_id, reason, amount in rows}

    async def last_lease_of(self, partner_id: UUID) -> Row | None:
        """The lease, interest and decimal of the owner's latest line in a finalized run."""
        query = (
            select(
                owner_lines.c.lease_id,
                owner_lines.c.interest_type,
                owner_lines.c.decimal,
                leases.c.name,
                leases.c.rrc_district,
                leases.c.rrc_lease_number,
                leases.c.county,
            )
            .select_from(
                owner_lines.join(
                    distribution_runs,
                    and_(
                        distribution_runs.c.organization_id == owner_lines.c.organization_id,
                        distribution_runs.c.id == owner_lines.c.run_id,
                        distribution_runs.c.status == "finalized",
                    ),
                ).outerjoin(
                    leases,
                    and_(
                        leases.c.organization_id == owner_lines.c.organization_id, leases.c.id == owner_lines.c.lease_id
                    ),
                )
            )
            .where(owner_lines.c.partner_id == partner_id)
            .order_by(owner_lines.c.month.desc(), owner_lines.c.lease_id)
            .limit(1)
        )
        return await self.first(query)

    async def add_letter(self, row: Row) -> bool:
        statement = pg_insert(escheat_letters).values(row).on_conflict_do_nothing().returning(escheat_letters.c.id)
        return (await self.execute(statement)).first() is not None

    async def letters(self, report_year: int | None) -> list[Row]:
        query = select(escheat_letters).order_by(escheat_letters.c.report_year, escheat_letters.c.sent_on)
        if report_year is not None:
            query = query.where(escheat_letters.c.report_year == report_year)
        return await self.rows(query)

    async def letter(self, letter_id: UUID) -> Row | None:
        return await self.first(select(escheat_letters).where(escheat_letters.c.id == letter_id))

    async def mark_claimed(self, partner_id: UUID, report_year: int, on: date) -> Row | None:
        return await self.first(
            update(escheat_letters)
            .where(escheat_letters.c.partner_id == partner_id, escheat_letters.c.report_year == report_year)
            .values(claimed_on=on)
            .returning(escheat_letters)
        )

    async def report_for(self, report_year: int) -> Row | None:
        return await self.first(select(escheat_reports).where(escheat_reports.c.report_year == report_year))

    async def report(self, report_id: UUID) -> Row | None:
        return await self.first(select(escheat_reports).where(escheat_reports.c.id == report_id))

    async def add_report(self, row: Row, releases: list[Row]) -> None:
        await self.execute(insert(escheat_reports).values(row))
        if releases:
            await self.execute(insert(suspense_entries), releases)

    async def reports(self) -> list[Row]:
        return await self.rows(
            select(
                escheat_reports.c.id,
                escheat_reports.c.report_year,
                escheat_reports.c.total,
                escheat_reports.c["items"],
                escheat_reports.c.created_by,
                escheat_reports.c.created_at,
            ).order_by(escheat_reports.c.report_year.desc())
        )

    async def lock(self) -> None:
        await self.advisory_lock(f"escheat:{self.organization_id}")
