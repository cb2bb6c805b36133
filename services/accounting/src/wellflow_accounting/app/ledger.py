"""The general-ledger export of a month: the finalized revenue distribution and the issued JIB as journal
entries in QuickBooks Online's journal-entry import layout (see domain.ledger and docs/accounting.md)."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from wellflow_servicekit.errors import NotFound

from ..domain import ledger
from ..domain.money import ZERO
from .context import Accounting, Actor, check_month
from .ports import AccountingWork


async def _revenue_entry(uow: AccountingWork, run: dict[str, Any], month: date, day: date) -> list[ledger.JournalLine]:
    settlements = await uow.runs.settlements_with_names(run["id"])
    suspense_change = sum((s["title_held"] - s["released_title"] + s["minimum_delta"] for s in settlements), ZERO)
    totals = run["totals"]
    return ledger.revenue_entry(
        month,
        day,
        gross=Decimal(totals["gross_value"]),
        tax=Decimal(totals["severance_tax"]),
        deductions=Decimal(totals["deductions"]),
        owners_paid=[(s["name"], s["paid"]) for s in settlements],
        suspense_change=suspense_change,
    )


async def journal(acc: Accounting, actor: Actor, month: date) -> list[ledger.JournalLine]:
    check_month(month, "query.month")
    day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    lines: list[ledger.JournalLine] = []
    async with acc.uow(actor) as uow:
        run = await uow.runs.finalized_for_month(month)
        if run is not None:
            lines += await _revenue_entry(uow, run, month, day)
        jib = await uow.jib_runs.issued_for_month(month)
        if jib is not None:
            lines += ledger.jib_entry(
                month,
                day,
                partners=await uow.jib_runs.billed_by_partner_name(jib["id"]),
                categories=await uow.jib_runs.net_by_category(jib["id"]),
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
