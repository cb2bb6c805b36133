"""The general-ledger export of a month: the finalized revenue distribution and the issued JIB as journal
entries in QuickBooks Online's journal-entry import layout (see domain.ledger and docs/accounting.md)."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select

from wellflow_servicekit.problems import NotFound

from ..adapters.tables import distribution_runs, jib_lines, jib_runs, jib_statements, owner_settlements, partners
from ..domain import ledger
from ..domain.money import ZERO
from .context import Accounting, Actor, check_month


async def journal(acc: Accounting, actor: Actor, month: date) -> list[ledger.JournalLine]:
    check_month(month, "query.month")
    day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    lines: list[ledger.JournalLine] = []
    async with acc.uow(actor) as uow:
        run = (
            (
                await uow.connection.execute(
                    select(distribution_runs).where(
                        distribution_runs.c.month == month, distribution_runs.c.status == "finalized"
                    )
                )
            )
            .mappings()
            .first()
        )
        if run is not None:
            settlements = (
                (
                    await uow.connection.execute(
                        select(owner_settlements, partners.c.name)
                        .join(
                            partners,
                            and_(
                                partners.c.id == owner_settlements.c.partner_id,
                                partners.c.organization_id == owner_settlements.c.organization_id,
                            ),
                        )
                        .where(owner_settlements.c.run_id == run["id"])
                        .order_by(partners.c.name, owner_settlements.c.partner_id)
                    )
                )
                .mappings()
                .all()
            )
            suspense_change = sum(
                (s["title_held"] - s["released_title"] + s["minimum_delta"] for s in settlements), ZERO
            )
            totals = run["totals"]
            lines += ledger.revenue_entry(
                month,
                day,
                gross=Decimal(totals["gross_value"]),
                tax=Decimal(totals["severance_tax"]),
                deductions=Decimal(totals["deductions"]),
                owners_paid=[(s["name"], s["paid"]) for s in settlements],
                suspense_change=suspense_change,
            )
        jib = (
            (
                await uow.connection.execute(
                    select(jib_runs).where(jib_runs.c.month == month, jib_runs.c.status == "issued")
                )
            )
            .mappings()
            .first()
        )
        if jib is not None:
            billed = (
                await uow.connection.execute(
                    select(partners.c.name, jib_statements.c.billed)
                    .join(
                        partners,
                        and_(
                            partners.c.id == jib_statements.c.partner_id,
                            partners.c.organization_id == jib_statements.c.organization_id,
                        ),
                    )
                    .where(jib_statements.c.run_id == jib["id"])
                    .order_by(partners.c.name)
                )
            ).all()
            categories = (
                await uow.connection.execute(
                    select(jib_lines.c.category, func.sum(jib_lines.c.net))
                    .where(jib_lines.c.run_id == jib["id"])
                    .group_by(jib_lines.c.category)
                    .order_by(jib_lines.c.category)
                )
            ).all()
            lines += ledger.jib_entry(
                month, day, partners=[(r[0], r[1]) for r in billed], categories=[(r[0], r[1]) for r in categories]
            )
    if run is None and jib is None:
        raise NotFound(f"Nothing finalized or issued for {month:%m/%Y}: no journal to export.")
    return lines


def journal_rows(lines: list[ledger.JournalLine]) -> list[dict[str, Any]]:
    return [
        {
            "Journal No": line.journal_no,
            "Journal Date": f"{line.journal_date:%m/%d/%Y}",
            "Account": line.account,
            "Debits": f"{line.debit:.2f}" if line.debit else "",
            "Credits": f"{line.credit:.2f}" if line.credit else "",
            "Description": line.description,
            "Name": line.name,
        }
        for line in lines
    ]
