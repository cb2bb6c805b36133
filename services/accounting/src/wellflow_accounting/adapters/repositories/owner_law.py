"""The 91.403 rate data, the late-payment clock's inputs and notices, owners' 91.504 information requests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Row

from ..tables import (
    distribution_runs,
    distribution_sales,
    fed_primary_credit_rates,
    information_requests,
    late_interest_rates,
    late_payment_notices,
    owner_law_tenants,
    owner_lines,
    owner_settlements,
    payment_lines,
    payment_runs,
    payments,
)
from .base import AccountingRepository


class SqlLateInterestRates(AccountingRepository):
    async def published(self) -> list[Row]:
        return await self.rows(select(fed_primary_credit_rates).order_by(fed_primary_credit_rates.c.effective))

    async def entered(self) -> list[Row]:
        return await self.rows(select(late_interest_rates).order_by(late_interest_rates.c.effective))

    async def add(self, row: Row, request: Mapping[str, Any]) -> tuple[Row, bool]:
        return await self.create_once(late_interest_rates, row, request=request, noun="rate")


def _finalized(run_id_column: Any) -> Any:
    return and_(
        distribution_runs.c.organization_id == owner_lines.c.organization_id,
        distribution_runs.c.id == run_id_column,
        distribution_runs.c.status == "finalized",
    )


class SqlLatePayments(AccountingRepository):
    async def owner_lines(self, *, partner_id: UUID | None, lease_id: UUID | None) -> list[Row]:
        settled = and_(
            owner_settlements.c.organization_id == owner_lines.c.organization_id,
            owner_settlements.c.run_id == owner_lines.c.run_id,
            owner_settlements.c.partner_id == owner_lines.c.partner_id,
        )
        how = case(
            (owner_lines.c.disposition == "title_hold", "withheld"),
            (owner_settlements.c.paid > 0, "payable"),
            else_="accumulating",
        ).label("how")
        query = (
            select(
                owner_lines.c.partner_id,
                owner_lines.c.lease_id,
                owner_lines.c.month,
                owner_lines.c.product,
                how,
                func.sum(owner_lines.c.net).label("net"),
            )
            .select_from(
                owner_lines.join(distribution_runs, _finalized(owner_lines.c.run_id)).outerjoin(
                    owner_settlements, settled
                )
            )
            .group_by(owner_lines.c.partner_id, owner_lines.c.lease_id, owner_lines.c.month, owner_lines.c.product, how)
        )
        if partner_id is not None:
            query = query.where(owner_lines.c.partner_id == partner_id)
        if lease_id is not None:
            query = query.where(owner_lines.c.lease_id == lease_id)
        return await self.rows(query)

    async def first_sale_months(self) -> dict[UUID, date]:
        rows = await self.execute(
            select(distribution_sales.c.lease_id, func.min(distribution_sales.c.month))
            .select_from(
                distribution_sales.join(
                    distribution_runs,
                    and_(
                        distribution_runs.c.organization_id == distribution_sales.c.organization_id,
                        distribution_runs.c.id == distribution_sales.c.run_id,
                        distribution_runs.c.status == "finalized",
                    ),
                )
            )
            .where(distribution_sales.c.is_adjustment.is_(False))
            .group_by(distribution_sales.c.lease_id)
        )
        return {lease: month for lease, month in rows}

    async def payments_made(self, *, partner_id: UUID | None, lease_id: UUID | None) -> list[Row]:
        paid_on = func.coalesce(func.date(payments.c.paid_at), payment_runs.c.pay_date).label("paid_on")
        query = (
            select(
                payments.c.partner_id,
                payment_lines.c.lease_id,
                payment_lines.c.sale_month,
                payment_lines.c.product,
                paid_on,
                func.sum(payment_lines.c.net).label("amount"),
            )
            .select_from(
                payment_lines.join(
                    payments,
                    and_(
                        payments.c.organization_id == payment_lines.c.organization_id,
                        payments.c.id == payment_lines.c.payment_id,
                    ),
                ).join(
                    payment_runs,
                    and_(
                        payment_runs.c.organization_id == payments.c.organization_id,
                        payment_runs.c.id == payments.c.run_id,
                    ),
                )
            )
            .where(
                payment_lines.c.kind == "revenue",
                payments.c.status == "sent",
                payment_lines.c.lease_id.is_not(None),
                payment_lines.c.sale_month.is_not(None),
            )
            .group_by(
                payments.c.partner_id,
                payment_lines.c.lease_id,
                payment_lines.c.sale_month,
                payment_lines.c.product,
                paid_on,
            )
        )
        if partner_id is not None:
            query = query.where(payments.c.partner_id == partner_id)
        if lease_id is not None:
            query = query.where(payment_lines.c.lease_id == lease_id)
        return await self.rows(query)

    async def claim_notice(self, values: Row) -> bool:
        statement = (
            pg_insert(late_payment_notices)
            .values(organization_id=self.organization_id, **values)
            .on_conflict_do_nothing()
            .returning(late_payment_notices.c.partner_id)
        )
        return (await self.execute(statement)).first() is not None

    async def remember_tenant(self, tenant_id: UUID, now: datetime) -> None:
        await self.execute(
            pg_insert(owner_law_tenants).values(tenant_id=tenant_id, first_seen_at=now).on_conflict_do_nothing()
        )

    async def tenant_ids(self) -> list[UUID]:
        return list((await self.execute(select(owner_law_tenants.c.tenant_id))).scalars())


class SqlInformationRequests(AccountingRepository):
    async def add(self, row: Row, request: Mapping[str, Any]) -> tuple[Row, bool]:
        return await self.create_once(information_requests, row, request=request, noun="information request")

    async def get(self, request_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(information_requests).where(information_requests.c.id == request_id)
        return await self.first(query.with_for_update() if lock else query)

    async def answer(self, request_id: UUID, values: Row) -> Row:
        return await self.returning(
            update(information_requests)
            .where(information_requests.c.id == request_id)
            .values(**values)
            .returning(information_requests)
        )

    async def page_of_requests(
        self, *, partner_id: UUID | None, open_only: bool, overdue_on: date | None, limit: int, offset: int
    ) -> dict[str, Any]:
        query = select(information_requests, func.count().over().label("_total"))
        if partner_id is not None:
            query = query.where(information_requests.c.partner_id == partner_id)
        if open_only or overdue_on is not None:
            query = query.where(information_requests.c.answered_on.is_(None))
        if overdue_on is not None:
            query = query.where(information_requests.c.due_on < overdue_on)
        query = query.order_by(information_requests.c.due_on, information_requests.c.id)
        return await self.page_of(query, limit, offset)

    async def owner_months(self, partner_id: UUID, lease_id: UUID | None, start: date, end: date) -> list[Row]:
        query = (
            select(
                owner_lines.c.lease_id,
                owner_lines.c.month,
                owner_lines.c.product,
                owner_lines.c.interest_type,
                owner_lines.c.decimal,
                owner_lines.c.gross,
                owner_lines.c.tax,
                owner_lines.c.deductions,
                owner_lines.c.net,
                owner_lines.c.is_adjustment,
                owner_lines.c.disposition,
                distribution_sales.c.explanation,
                distribution_sales.c.volume,
                distribution_sales.c.price,
                distribution_sales.c.gross_value,
                distribution_sales.c.severance_tax,
                distribution_sales.c.deductions.label("sale_deductions"),
                distribution_runs.c.month.label("run_month"),
            )
            .select_from(
                owner_lines.join(distribution_runs, _finalized(owner_lines.c.run_id)).join(
                    distribution_sales,
                    and_(
                        distribution_sales.c.organization_id == owner_lines.c.organization_id,
                        distribution_sales.c.id == owner_lines.c.sale_id,
                    ),
                )
            )
            .where(owner_lines.c.partner_id == partner_id, owner_lines.c.month.between(start, end))
            .order_by(owner_lines.c.lease_id, owner_lines.c.month, owner_lines.c.product, distribution_runs.c.month)
        )
        if lease_id is not None:
            query = query.where(owner_lines.c.lease_id == lease_id)
        return await self.rows(query)
