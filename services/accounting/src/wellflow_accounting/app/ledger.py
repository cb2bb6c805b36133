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


def _cash(r: dict[str, Any], held: bool = False, reference: str = "") -> ledger.CashPayment:
    return ledger.CashPayment(
        r["name"], r["payable"], r["interest"], r["jib_credit"], r["netted"], r["net"], held=held, reference=reference
    )


async def _payment_entries(uow: AccountingWork, month: date, last: date) -> list[ledger.JournalLine]:
    """Owner payments dated in the month: each run's payments on its pay date, reissued checks on the day they
    were written, voids on the day they were voided (docs/payments.md#general-ledger)."""
    rows = await uow.payment_runs.ledger_payments()
    reissued = {r["reissue_of"] for r in rows if r["reissue_of"] is not None}
    by_run: dict[tuple[date, Any], list[ledger.CashPayment]] = {}
    lines: list[ledger.JournalLine] = []
    for r in rows:
        if r["status"] == "pending":
            continue
        if r["reissue_of"] is None and month <= r["pay_date"] <= last:
            by_run.setdefault((r["pay_date"], r["run_id"]), []).append(_cash(r, held=r["status"] == "held"))
        elif r["reissue_of"] is not None and r["paid_at"] and month <= r["paid_at"].date() <= last:
            day = r["paid_at"].date()
            no = f"PAY-CHK-{r['check_number']}"
            lines += ledger.payment_entry(no, day, [_cash(r, reference=f"check {r['check_number']} reissued")])
        if r["voided_at"] is not None and month <= r["voided_at"].date() <= last:
            no = f"VOID-CHK-{r['check_number']}"
            lines += ledger.void_entry(
                no, r["voided_at"].date(), r["name"], r["net"], r["check_number"], r["id"] in reissued
            )
    for (day, run_id), payments in sorted(by_run.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        lines = ledger.payment_entry(f"PAY-{day:%Y%m%d}-{str(run_id)[-4:]}", day, payments) + lines
    return lines


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
        cash = await _payment_entries(uow, month, day)
        lines += cash
    if run is None and jib is None and not cash:
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
