"""Payment runs, their payments and lines, the ACH settings, prenotes, and what a run needs from the revenue and
JIB books (owner lines, first sale months, JIB balances, netting)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Row

from ..bulk import insert_rows
from ..tables import (
    ach_prenotes,
    agreements,
    distribution_runs,
    distribution_sales,
    jib_lines,
    jib_payments,
    jib_runs,
    lease_months,
    owner_lines,
    partners,
    payment_lines,
    payment_runs,
    payment_settings,
    payments,
    suspense_entries,
)
from .base import AccountingRepository
from .revenue import owner_lines_with_sales

PAYMENT_COLUMNS = [c for c in payments.c if c.name not in ("organization_id", "account_number")]


class SqlPaymentRuns(AccountingRepository):
    async def lock(self, organization_id: UUID) -> None:
        """Payment runs of one organization are built, approved and sent one at a time."""
        await self.advisory_lock(f"accounting-payments:{organization_id}")

    # ------------------------------------------------------------ settings

    async def settings(self) -> Row | None:
        return await self.first(select(payment_settings))

    async def put_settings(self, values: dict[str, Any]) -> Row:
        statement = pg_insert(payment_settings).values(values)
        changes = {k: v for k, v in values.items() if k != "organization_id"}
        statement = statement.on_conflict_do_update(index_elements=["organization_id"], set_=changes)
        return await self.returning(statement.returning(payment_settings))

    async def take_check_numbers(self, count: int) -> int:
        """The first of ``count`` consecutive check numbers, reserved (the settings row is locked until commit)."""
        row = await self.one(
            update(payment_settings)
            .values(next_check_number=payment_settings.c.next_check_number + count)
            .returning(payment_settings.c.next_check_number)
        )
        return int(row["next_check_number"]) - count

    # ------------------------------------------------------------ runs

    async def add(self, run: dict[str, Any], rows: list[dict[str, Any]], lines: list[dict[str, Any]]) -> None:
        await self.execute(insert(payment_runs).values(run))
        if rows:
            await insert_rows(self.connection, payments, rows)
        if lines:
            await insert_rows(self.connection, payment_lines, lines)

    async def get(self, run_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(payment_runs).where(payment_runs.c.id == run_id)
        if lock:
            query = query.with_for_update()
        return await self.first(query)

    async def live_for_distribution(self, distribution_run_id: UUID) -> Row | None:
        return await self.first(
            select(payment_runs).where(
                payment_runs.c.distribution_run_id == distribution_run_id, payment_runs.c.status != "cancelled"
            )
        )

    async def update_run(self, run_id: UUID, values: dict[str, Any]) -> None:
        await self.execute(update(payment_runs).where(payment_runs.c.id == run_id).values(values))

    async def page_of_runs(self, *, status: str | None, limit: int, offset: int) -> dict[str, Any]:
        columns = [c for c in payment_runs.c if c.name != "ach_file"]
        query = select(*columns, func.count().over().label("_total"))
        if status is not None:
            query = query.where(payment_runs.c.status == status)
        return await self.page_of(query.order_by(payment_runs.c.created_at.desc()), limit, offset)

    # ------------------------------------------------------------ payments

    def _payments(self) -> Any:
        return select(*PAYMENT_COLUMNS, partners.c.name, partners.c.owner_number, partners.c.kind).join(
            partners,
            and_(partners.c.id == payments.c.partner_id, partners.c.organization_id == payments.c.organization_id),
        )

    async def payments(self, run_id: UUID, *, with_accounts: bool = False) -> list[Row]:
        query = self._payments().where(payments.c.run_id == run_id)
        if with_accounts:
            query = query.add_columns(payments.c.account_number)
        return await self.rows(query.order_by(partners.c.name, payments.c.id))

    async def page_of_payments(
        self, run_id: UUID, *, status: str | None, method: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        query = self._payments().add_columns(func.count().over().label("_total")).where(payments.c.run_id == run_id)
        if status is not None:
            query = query.where(payments.c.status == status)
        if method is not None:
            query = query.where(payments.c.method == method)
        return await self.page_of(query.order_by(partners.c.name, payments.c.id), limit, offset)

    async def payment(self, payment_id: UUID, *, lock: bool = False) -> Row | None:
        query = self._payments().where(payments.c.id == payment_id)
        if lock:
            query = query.with_for_update(of=payments)
        return await self.first(query)

    async def lines(self, payment_ids: Sequence[UUID]) -> list[Row]:
        return await self.rows(
            select(payment_lines)
            .where(payment_lines.c.payment_id.in_(list(payment_ids)))
            .order_by(payment_lines.c.payment_id, payment_lines.c.kind, payment_lines.c.sale_month, payment_lines.c.id)
        )

    async def number_payments(self, traces: dict[UUID, str], checks: dict[UUID, int]) -> None:
        """Trace numbers and check numbers for many payments, in two statements."""
        if traces:
            await self.execute(
                text(
                    "UPDATE payments SET trace_number = v.trace FROM unnest(CAST(:ids AS uuid[]), "
                    "CAST(:traces AS text[])) AS v(id, trace) WHERE payments.id = v.id"
                ),
                {"ids": list(traces), "traces": list(traces.values())},
            )
        if checks:
            await self.execute(
                text(
                    "UPDATE payments SET check_number = v.number FROM unnest(CAST(:ids AS uuid[]), "
                    "CAST(:numbers AS bigint[])) AS v(id, number) WHERE payments.id = v.id"
                ),
                {"ids": list(checks), "numbers": list(checks.values())},
            )

    async def update_payments(self, values: list[dict[str, Any]]) -> None:
        """Each dict: ``id`` and the columns to set."""
        for value in values:
            changes = {k: v for k, v in value.items() if k != "id"}
            await self.execute(update(payments).where(payments.c.id == value["id"]).values(changes))

    async def mark_sent(self, run_id: UUID, paid_at: Any) -> None:
        await self.execute(
            update(payments)
            .where(payments.c.run_id == run_id, payments.c.status == "pending")
            .values(status="sent", paid_at=paid_at)
        )

    async def add_payment(self, row: dict[str, Any], lines: list[dict[str, Any]]) -> None:
        await self.execute(insert(payments).values(row))
        if lines:
            await self.execute(insert(payment_lines), lines)

    async def check_number_used(self, number: int) -> bool:
        return bool(await self.scalar(select(func.count()).where(payments.c.check_number == number)))

    async def checks(self, *, date_from: date | None, date_to: date | None) -> list[Row]:
        """The check register: every check written (voids included), with the run's pay date."""
        query = (
            self._payments()
            .add_columns(payment_runs.c.pay_date)
            .join(
                payment_runs,
                and_(
                    payment_runs.c.id == payments.c.run_id,
                    payment_runs.c.organization_id == payments.c.organization_id,
                ),
            )
            .where(payments.c.check_number.is_not(None), payments.c.status.in_(["sent", "void"]))
        )
        if date_from is not None:
            query = query.where(payment_runs.c.pay_date >= date_from)
        if date_to is not None:
            query = query.where(payment_runs.c.pay_date <= date_to)
        return await self.rows(query.order_by(payments.c.check_number))

    # ------------------------------------------------------------ prenotes

    async def prenoted(self) -> dict[tuple[UUID, str], date]:
        rows = await self.execute(
            select(ach_prenotes.c.partner_id, ach_prenotes.c.account_fingerprint, ach_prenotes.c.sent_on)
        )
        return {(r.partner_id, r.account_fingerprint): r.sent_on for r in rows}

    async def add_prenotes(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.execute(pg_insert(ach_prenotes).values(rows).on_conflict_do_nothing())

    # ------------------------------------------------------------ what a run pays

    async def revenue_lines(self, distribution_run_id: UUID) -> list[Row]:
        """The paid owner lines of a run, with each sale's volume (only the columns a payment needs: a run of
        2,000 owners reads 40,000 of them)."""
        columns = ("id", "partner_id", "lease_id", "month", "product", "decimal", "gross", "tax", "deductions", "net")
        query = (
            select(*(owner_lines.c[name] for name in columns), distribution_sales.c.volume.label("sale_volume"))
            .join(
                distribution_sales,
                and_(
                    distribution_sales.c.id == owner_lines.c.sale_id,
                    distribution_sales.c.organization_id == owner_lines.c.organization_id,
                ),
            )
            .where(owner_lines.c.run_id == distribution_run_id, owner_lines.c.disposition == "pay")
            .order_by(owner_lines.c.partner_id, owner_lines.c.month, owner_lines.c.lease_id, owner_lines.c.product)
        )
        names = (*columns, "sale_volume")
        return [dict(zip(names, row, strict=True)) for row in await self.execute(query)]

    async def statement_lines(self, distribution_run_id: UUID, partner_ids: Sequence[UUID]) -> list[Row]:
        """The owners' statement lines of a revenue run (each owner line with its sale's figures), for many
        owners at once: what their check stubs print."""
        return await self.rows(
            owner_lines_with_sales()
            .where(owner_lines.c.run_id == distribution_run_id, owner_lines.c.partner_id.in_(list(partner_ids)))
            .order_by(
                owner_lines.c.partner_id, owner_lines.c.is_adjustment, owner_lines.c.month, owner_lines.c.lease_id
            )
        )

    async def first_sale_months(self) -> dict[UUID, date]:
        """Each lease's month of first sale (91.402): the first month production reported a volume sold, or
        the first month a finalized run distributed, whichever is earlier."""
        distributed = (
            select(distribution_sales.c.lease_id.label("lease_id"), distribution_sales.c.month.label("month"))
            .join(
                distribution_runs,
                and_(
                    distribution_runs.c.id == distribution_sales.c.run_id,
                    distribution_runs.c.organization_id == distribution_sales.c.organization_id,
                ),
            )
            .where(distribution_runs.c.status == "finalized", distribution_sales.c.volume > 0)
        )
        produced = select(lease_months.c.lease_id, lease_months.c.month).where(
            (lease_months.c.liquid_sold_bbl > 0) | (lease_months.c.gas_sold_mcf > 0)
        )
        months = distributed.union_all(produced).subquery()
        rows = await self.execute(select(months.c.lease_id, func.min(months.c.month)).group_by(months.c.lease_id))
        return {r[0]: r[1] for r in rows}

    async def jib_balances(self) -> dict[UUID, Decimal]:
        """Per partner: billed by issued JIB runs less every payment received, netted or refunded."""
        billed = await self.execute(
            select(jib_lines.c.partner_id, func.sum(jib_lines.c.net))
            .join(
                jib_runs,
                and_(jib_runs.c.id == jib_lines.c.run_id, jib_runs.c.organization_id == jib_lines.c.organization_id),
            )
            .where(jib_runs.c.status == "issued")
            .group_by(jib_lines.c.partner_id)
        )
        balances: dict[UUID, Decimal] = {r[0]: r[1] for r in billed}
        paid = await self.execute(
            select(jib_payments.c.partner_id, func.sum(jib_payments.c.amount)).group_by(jib_payments.c.partner_id)
        )
        for partner_id, amount in paid:
            balances[partner_id] = balances.get(partner_id, Decimal(0)) - amount
        return {k: v for k, v in balances.items() if v}

    async def netting_allowed(self) -> dict[UUID, bool]:
        """Per billed partner: whether every lease it was billed on has an agreement that allows netting."""
        rows = await self.execute(
            select(jib_lines.c.partner_id, func.bool_and(func.coalesce(agreements.c.allow_revenue_netting, False)))
            .join(
                jib_runs,
                and_(jib_runs.c.id == jib_lines.c.run_id, jib_runs.c.organization_id == jib_lines.c.organization_id),
            )
            .outerjoin(
                agreements,
                and_(
                    agreements.c.lease_id == jib_lines.c.lease_id,
                    agreements.c.organization_id == jib_lines.c.organization_id,
                ),
            )
            .where(jib_runs.c.status == "issued")
            .group_by(jib_lines.c.partner_id)
        )
        return {r[0]: bool(r[1]) for r in rows}

    async def last_paid(self) -> dict[UUID, date]:
        """Each payee's last pay date (a sent payment)."""
        rows = await self.execute(
            select(payments.c.partner_id, func.max(payment_runs.c.pay_date))
            .join(
                payment_runs,
                and_(
                    payment_runs.c.id == payments.c.run_id,
                    payment_runs.c.organization_id == payments.c.organization_id,
                ),
            )
            .where(payments.c.status == "sent")
            .group_by(payments.c.partner_id)
        )
        return {r[0]: r[1] for r in rows}

    async def minimum_since(self) -> dict[UUID, date]:
        """Each owner's first month of minimum-payment suspense (for one never paid: how long it has waited)."""
        rows = await self.execute(
            select(suspense_entries.c.partner_id, func.min(suspense_entries.c.month))
            .where(suspense_entries.c.reason == "minimum_payment", suspense_entries.c.amount > 0)
            .group_by(suspense_entries.c.partner_id)
        )
        return {r[0]: r[1] for r in rows}

    async def ledger_payments(self) -> list[Row]:
        """Every payment of an approved run that moved money or suspense, with its lines summed by kind."""
        kind = payment_lines.c.kind
        total = func.coalesce(func.sum(payment_lines.c.net).filter(kind.in_(["revenue", "suspense_release"])), 0)
        query = (
            select(
                payments.c.id,
                payments.c.run_id,
                payments.c.status,
                payments.c.net,
                payments.c.check_number,
                payments.c.reissue_of,
                payments.c.paid_at,
                payments.c.voided_at,
                payment_runs.c.pay_date,
                partners.c.name,
                total.label("payable"),
                func.coalesce(func.sum(payment_lines.c.net).filter(kind == "interest"), 0).label("interest"),
                func.coalesce(func.sum(payment_lines.c.net).filter(kind == "jib_credit"), 0).label("jib_credit"),
                func.coalesce(-func.sum(payment_lines.c.net).filter(kind == "jib_netting"), 0).label("netted"),
            )
            .join(
                payment_runs,
                and_(
                    payment_runs.c.id == payments.c.run_id, payment_runs.c.organization_id == payments.c.organization_id
                ),
            )
            .join(
                partners,
                and_(partners.c.id == payments.c.partner_id, partners.c.organization_id == payments.c.organization_id),
            )
            .join(
                payment_lines,
                and_(
                    payment_lines.c.payment_id == payments.c.id,
                    payment_lines.c.organization_id == payments.c.organization_id,
                ),
            )
            .where(payment_runs.c.status.in_(["approved", "files_generated", "sent"]))
            .group_by(payments.c.organization_id, payments.c.id, payment_runs.c.pay_date, partners.c.name)
            .order_by(payment_runs.c.pay_date, partners.c.name, payments.c.id)
        )
        return await self.rows(query)

    async def add_jib_payments(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.execute(insert(jib_payments), rows)
