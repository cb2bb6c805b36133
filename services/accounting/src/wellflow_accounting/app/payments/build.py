"""Build a payment run: who is paid what from a finalized revenue run and the JIB credits, by ACH or check
(docs/payments.md). A run is a draft until approved; nothing in the books moves before approval."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import check_same_request
from wellflow_texas.payment_law import RatePeriod

from ...domain import payments as pay
from ...domain.money import ZERO
from ...domain.tax_identity import backup_withholding_for
from ..context import Accounting, Actor, invalid
from ..owner_law.rates import rate_periods
from ..ports import AccountingWork
from ..tax1099.withholding import identity_of, withholding_status
from .common import public_run

Row = dict[str, Any]


def fingerprint(routing: str, account: str, account_type: str) -> str:
    """Identifies an account without keeping its number: a changed account is a new fingerprint (a prenote)."""
    return hashlib.sha256(f"{routing}|{account}|{account_type}".encode()).hexdigest()


def months_between(earlier: date, later: date) -> int:
    return max(0, (later.year - earlier.year) * 12 + later.month - earlier.month)


def _revenue_lines(rows: list[Row]) -> dict[UUID, list[pay.RevenueLine]]:
    by_owner: dict[UUID, list[pay.RevenueLine]] = defaultdict(list)
    for r in rows:
        volume = (r["sale_volume"] * r["decimal"]).quantize(Decimal("0.0001"))
        by_owner[r["partner_id"]].append(
            pay.RevenueLine(
                r["id"],
                r["lease_id"],
                r["month"],
                r["product"],
                r["decimal"],
                volume,
                r["gross"],
                r["tax"],
                r["deductions"],
                r["net"],
            )
        )
    return by_owner


async def _facts(uow: AccountingWork, distribution: Row | None, pay_date: date, credits: bool) -> list[pay.PayeeFacts]:
    """What the books say about every payee of the run."""
    settlements = await uow.runs.settlements(distribution["id"]) if distribution else []
    lines = _revenue_lines(await uow.payment_runs.revenue_lines(distribution["id"])) if distribution else {}
    minimum: dict[UUID, Decimal] = defaultdict(lambda: ZERO)
    for r in await uow.suspense.balances():
        if r["reason"] == "minimum_payment":
            minimum[r["partner_id"]] += r["balance"]
    balances = await uow.payment_runs.jib_balances()
    netting = await uow.payment_runs.netting_allowed()
    last_paid = await uow.payment_runs.last_paid()
    waiting_since = await uow.payment_runs.minimum_since()
    facts = []
    seen = set()
    for s in settlements:
        partner = s["partner_id"]
        seen.add(partner)
        since = last_paid.get(partner) or waiting_since.get(partner) or pay_date
        released = [(UUID(k), Decimal(v)) for k, v in s["title_detail"]["released"].items()]
        facts.append(
            pay.PayeeFacts(
                partner,
                settled_paid=s["paid"],
                settlement_reason=s["reason"],
                revenue_lines=lines.get(partner, []),
                prior_minimum=s["prior_minimum"] if s["paid"] > 0 else ZERO,
                title_released=released if s["paid"] > 0 else [],
                minimum_balance=minimum.get(partner, ZERO),
                months_since_last_payment=months_between(since, pay_date),
                jib_balance=balances.get(partner, ZERO),
                netting_allowed=netting.get(partner, False),
            )
        )
    if credits:
        for partner, balance in sorted(balances.items(), key=lambda kv: str(kv[0])):
            if balance < 0 and partner not in seen:
                facts.append(pay.PayeeFacts(partner, ZERO, None, jib_balance=balance))
    return facts


def _method(partner: Row, prenoted: dict[tuple[UUID, str], date], wait: int, pay_date: date) -> dict[str, Any]:
    """ACH for an owner who asked for it and whose account is prenoted long enough; a check otherwise."""
    routing, account = partner.get("bank_routing_number"), partner.get("bank_account_number")
    if partner["payment_method"] != "ach" or not routing or not account:
        return {"method": "check", "prenote": False, "warning": None}
    kind = partner.get("bank_account_type") or "checking"
    account_row = {"routing_number": routing, "account_number": account, "account_last4": account[-4:]}
    account_row["account_type"] = kind
    sent_on = prenoted.get((partner["id"], fingerprint(routing, account, kind)))
    if sent_on is None and wait > 0:
        warning = "new or changed account: prenote sent in this file; paid by check until it has cleared"
        return {**account_row, "method": "check", "prenote": True, "warning": warning}
    if sent_on is not None and (pay_date - sent_on).days < wait:
        warning = f"prenote sent {sent_on:%m/%d/%Y}: ACH from {wait} days after it; paid by check this time"
        return {**account_row, "method": "check", "prenote": False, "warning": warning}
    return {**account_row, "method": "ach", "prenote": sent_on is None, "warning": None}


def _withholding(plan: pay.PaymentPlan, partner: Row, kind: str) -> dict[str, Decimal]:
    """Backup withholding (IRC 3406, docs/1099.md): 24% of an owner's reportable gross when the owner gave no TIN
    or the IRS sent a B notice, taken from what is paid; nothing on a held payment or a partner's JIB credit."""
    if kind != "owner" or plan.status != "pending" or plan.net <= 0:
        return {}
    withheld = backup_withholding_for(identity_of(partner), plan.gross, payable=plan.net)
    return {"backup_withholding": withheld, "net": plan.net - withheld} if withheld else {}


def _rows(
    organization_id: UUID, run_id: UUID, plan: pay.PaymentPlan, partner: Row, how: dict[str, Any], kind: str
) -> tuple[Row, list[Row]]:
    payment_id = uuid7()
    row = {
        "organization_id": organization_id,
        "id": payment_id,
        "run_id": run_id,
        "payee_kind": kind,
        "partner_id": plan.partner_id,
        "method": how["method"],
        "status": plan.status,
        "hold_reason": plan.hold_reason,
        "gross": plan.gross,
        "tax": plan.tax,
        "deductions": plan.deductions,
        "netted": plan.netted,
        "backup_withholding": ZERO,
        "interest": plan.interest,
        "net": plan.net,
        **_withholding(plan, partner, kind),
        "routing_number": how.get("routing_number"),
        "account_number": how.get("account_number"),
        "account_last4": how.get("account_last4"),
        "account_type": how.get("account_type"),
        "prenote": how["prenote"],
    }
    lines = [
        {
            "organization_id": organization_id,
            "id": uuid4(),  # a line's id orders nothing: random, and twenty times cheaper than uuid7 by the 40,000
            "payment_id": payment_id,
            "run_id": run_id,
            "kind": line.kind,
            "owner_line_id": line.owner_line_id,
            "lease_id": line.lease_id,
            "sale_month": line.sale_month,
            "product": line.product,
            "decimal": line.decimal,
            "volume": line.volume,
            "gross": line.gross,
            "tax": line.tax,
            "deductions": line.deductions,
            "net": line.net,
            "due_on": line.due_on,
            "days_late": line.days_late,
            "note": line.note,
        }
        for line in plan.lines
    ]
    return row, lines


def _totals(rows: list[Row], plans: list[pay.PaymentPlan]) -> dict[str, Any]:
    pending = [r for r in rows if r["status"] == "pending" and r["net"] > 0]
    return {
        "payees": len(rows),
        "payments": len(pending),
        "held": sum(1 for r in rows if r["status"] == "held"),
        "ach_total": str(sum((r["net"] for r in pending if r["method"] == "ach"), ZERO)),
        "check_total": str(sum((r["net"] for r in pending if r["method"] == "check"), ZERO)),
        "ach_payments": sum(1 for r in pending if r["method"] == "ach"),
        "check_payments": sum(1 for r in pending if r["method"] == "check"),
        "prenotes": sum(1 for r in rows if r["prenote"]),
        "interest": str(sum((r["interest"] for r in rows), ZERO)),
        "netted": str(sum((r["netted"] for r in rows), ZERO)),
        "net": str(sum((r["net"] for r in pending), ZERO)),
        "jib_payments": {str(p.partner_id): str(p.jib_payment) for p in plans if p.jib_payment},
        "minimum_suspense": {
            str(p.partner_id): str(p.minimum_suspense_change) for p in plans if p.minimum_suspense_change
        },
    }


async def _distribution(uow: AccountingWork, distribution_run_id: UUID | None) -> Row | None:
    if distribution_run_id is None:
        return None
    run = await uow.runs.get(distribution_run_id)
    if run is None:
        raise invalid("body.distribution_run_id", f"no revenue run {distribution_run_id} in this organization")
    if run["status"] != "finalized":
        raise Conflict("Only a finalized revenue run can be paid: finalize it first.", slug="run-not-finalized")
    live = await uow.payment_runs.live_for_distribution(distribution_run_id)
    if live is not None:
        raise Conflict(
            f"Payment run {live['id']} already pays this revenue run (cancel it to build another).",
            slug="payment-run-exists",
            payment_run_id=str(live["id"]),
        )
    return run


def _plans(
    facts: list[pay.PayeeFacts], pay_date: date, first_sale: dict[UUID, date], rates: list[RatePeriod], credits: bool
) -> list[pay.PaymentPlan]:
    try:
        return [
            pay.plan_payment(f, pay_date=pay_date, first_sale=first_sale, rates=rates, include_jib_credit=credits)
            for f in facts
        ]
    except ValueError as exc:  # a late line with no rate on file for one of its days
        raise Conflict(
            f"Late-payment interest cannot be computed: {exc}. "
            "Enter the New York Fed's rate (POST /api/v1/late-interest-rates).",
            slug="interest-rate-missing",
        ) from None


# long: reads everything a run pays from, then writes the run, its payments and lines in one transaction
async def create_run(acc: Accounting, actor: Actor, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    request = {k: data.get(k) for k in ("distribution_run_id", "include_jib_credits", "pay_date")}
    async with acc.uow(actor) as uow:
        await uow.payment_runs.lock(actor.organization_id)
        if data.get("id") is not None:
            existing = await uow.payment_runs.get(data["id"])
            if existing is not None:
                check_same_request(existing, request, noun="payment run")
                return public_run(existing), False
        if data["distribution_run_id"] is None and not data["include_jib_credits"]:
            raise invalid("body.distribution_run_id", "name a finalized revenue run, or include the JIB credits")
        distribution = await _distribution(uow, data["distribution_run_id"])
        settings = await uow.payment_runs.settings() or {}
        pay_date = data["pay_date"]
        facts = await _facts(uow, distribution, pay_date, data["include_jib_credits"])
        first_sale = await uow.payment_runs.first_sale_months()
        plans = _plans(facts, pay_date, first_sale, await rate_periods(uow), data["include_jib_credits"])
        plans = [p for p in plans if p.lines or p.status == "held"]
        partners = await uow.partners.many({p.partner_id for p in plans})
        prenoted = await uow.payment_runs.prenoted()
        wait = int(settings.get("prenote_wait_days", 3))
        run_id = data.get("id") or uuid7()
        rows, lines, warnings = [], [], []
        settled = {f.partner_id for f in facts if f.settlement_reason is not None}
        for plan in plans:
            partner = partners[plan.partner_id]
            how = _method(partner, prenoted, wait, pay_date)
            if partner["payment_method"] == "wire":
                how["warning"] = "asked for a wire: WellFlow pays wires by check (send the wire yourself and void it)"
            if how["warning"]:
                warnings.append(
                    {"code": "paid-by-check", "partner_id": str(plan.partner_id), "message": how["warning"]}
                )
            kind = "owner" if plan.partner_id in settled else "partner"
            row, payment_lines = _rows(actor.organization_id, run_id, plan, partner, how, kind)
            if row["backup_withholding"]:
                reason = withholding_status(partner)
                warnings.append(
                    {
                        "code": "backup-withholding",
                        "partner_id": str(plan.partner_id),
                        "message": f"{row['backup_withholding']} withheld (24%, IRC 3406): {reason}",
                    }
                )
            rows.append(row)
            lines += payment_lines
        run = {
            "organization_id": actor.organization_id,
            "id": run_id,
            "distribution_run_id": data["distribution_run_id"],
            "include_jib_credits": data["include_jib_credits"],
            "pay_date": pay_date,
            "status": "draft",
            "totals": _totals(rows, plans),
            "warnings": warnings,
            "created_by": actor.id,
            "created_at": acc.clock(),
        }
        await uow.payment_runs.add(run, rows, lines)
        await uow.late_payments.remember_tenant(actor.organization_id, acc.clock())  # its business gauge visits it
        return public_run(run), True


async def run_row(uow: AccountingWork, run_id: UUID, *, lock: bool = False) -> Row:
    run = await uow.payment_runs.get(run_id, lock=lock)
    if run is None:
        raise NotFound(f"No payment run {run_id}.")
    return run
