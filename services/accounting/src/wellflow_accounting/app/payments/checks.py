"""Checks: the printable checks of a run with their Texas Nat. Res. Code 91.502 stubs, voids and reissues, the
check register and the positive-pay file (docs/payments.md#checks)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound

from ...domain.checks import PositivePayItem, amount_in_words, positive_pay_rows
from ...domain.operator import OperatorContact
from ..context import Accounting, Actor
from ..operator import current_contact
from ..ports import AccountingWork, DuplicateKey
from ..statements import stub_line
from .build import run_row
from .common import payment_run_key
from .send import sent_event

EXTRA_KINDS = {"interest", "jib_credit", "jib_netting", "suspense_release"}


def _address(partner: dict[str, Any]) -> str:
    region = " ".join(p for p in (partner.get("state"), partner.get("postal_code")) if p)
    parts = (partner.get("address_line1"), partner.get("address_line2"), partner.get("city"), region)
    return ", ".join(p for p in parts if p)


def _check(
    run: dict[str, Any],
    payment: dict[str, Any],
    partner: dict[str, Any],
    stub: list[dict[str, Any]],
    lines: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "check_number": payment["check_number"],
        "date": run["pay_date"],
        "payee": payment["name"],
        "owner_number": payment["owner_number"],
        "address": _address(partner),
        "amount": payment["net"],
        "amount_words": amount_in_words(payment["net"]),
        "status": payment["status"],
        "stub": stub,
        "other_lines": [
            {"kind": line["kind"], "note": line["note"] or line["kind"], "amount": line["net"]}
            for line in lines
            if line["kind"] in EXTRA_KINDS
        ],
        "totals": {k: payment[k] for k in ("gross", "tax", "deductions", "netted", "interest", "backup_withholding")},
    }


async def check_documents(
    acc: Accounting, actor: Actor, run_id: UUID, payment_id: UUID | None = None
) -> tuple[list[dict[str, Any]], OperatorContact, dict[str, Any]]:
    """The run's checks (or one), ready to print, and the operator who signs them: read in a few statements
    whatever the number of checks."""
    async with acc.uow(actor) as uow:
        run = await run_row(uow, run_id)
        payments = [p for p in await uow.payment_runs.payments(run_id) if p["check_number"] is not None]
        if payment_id is not None:
            payments = [p for p in payments if p["id"] == payment_id]
            if not payments:
                raise NotFound(f"No check for payment {payment_id} in payment run {run_id}.")
        if not payments:
            raise Conflict("The run has no numbered checks (generate its files first).", slug="no-checks")
        partners = await uow.partners.many({p["partner_id"] for p in payments})
        lines: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
        for line in await uow.payment_runs.lines([p["id"] for p in payments]):
            lines[line["payment_id"]].append(line)
        stubs: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
        owners = [p["partner_id"] for p in payments if p["payee_kind"] == "owner"]
        if run["distribution_run_id"] is not None and owners:
            rows = await uow.payment_runs.statement_lines(run["distribution_run_id"], owners)
            leases = await uow.leases.many({r["lease_id"] for r in rows})
            for r in rows:
                stubs[r["partner_id"]].append(stub_line(r, leases.get(r["lease_id"])))
        operator = await current_contact(uow)
    checks = [
        _check(run, p, partners.get(p["partner_id"], {}), stubs[p["partner_id"]], lines[p["id"]]) for p in payments
    ]
    return checks, operator, run


async def void_check(
    acc: Accounting, actor: Actor, run_id: UUID, payment_id: UUID, data: dict[str, Any]
) -> dict[str, Any]:
    """Void a sent check; with ``reissue`` write a new one (a new number) for the same payee, amount and lines.
    A check voided without a reissue returns its amount to the owner's suspense, paid by a later run."""
    try:
        async with acc.uow(actor) as uow:
            await uow.payment_runs.lock(actor.organization_id)
            run = await run_row(uow, run_id)
            payment = await uow.payment_runs.payment(payment_id, lock=True)
            if payment is None or payment["run_id"] != run_id:
                raise NotFound(f"No payment {payment_id} in payment run {run_id}.")
            if payment["method"] != "check" or payment["status"] != "sent":
                raise Conflict("Only a sent check can be voided.", slug="not-a-sent-check")
            now = acc.clock()
            await uow.payment_runs.update_payments(
                [{"id": payment_id, "status": "void", "void_reason": data["reason"], "voided_at": now}]
            )
            if not data.get("reissue"):
                await uow.suspense.add(
                    [
                        {
                            "organization_id": actor.organization_id,
                            "id": uuid7(),
                            "partner_id": payment["partner_id"],
                            "lease_id": None,
                            "reason": "minimum_payment",
                            "amount": payment["net"],
                            "run_id": run_id,
                            "month": now.date().replace(day=1),
                            "created_at": now,
                        }
                    ]
                )
                return {**payment, "status": "void", "void_reason": data["reason"], "voided_at": now}
            return await _reissue(uow, actor, run, payment, data.get("check_number"), now)
    except DuplicateKey:
        raise Conflict(
            "That check number is already used.",
            slug="check-number-used",
            errors=[{"field": "body.check_number", "message": "already used by another check"}],
        ) from None


async def _reissue(
    uow: AccountingWork, actor: Actor, run: dict[str, Any], old: dict[str, Any], number: int | None, now: Any
) -> dict[str, Any]:
    if number is None:
        number = await uow.payment_runs.take_check_numbers(1)
    elif await uow.payment_runs.check_number_used(number):
        raise DuplicateKey("check number")
    new_id = uuid7()
    row = {k: v for k, v in old.items() if k not in ("name", "owner_number", "kind")}
    row |= {"organization_id": actor.organization_id, "id": new_id, "status": "sent", "check_number": number}
    row |= {"reissue_of": old["id"], "void_reason": None, "voided_at": None, "paid_at": now, "account_number": None}
    lines = [
        {**line, "organization_id": actor.organization_id, "id": uuid7(), "payment_id": new_id}
        for line in await uow.payment_runs.lines([old["id"]])
    ]
    await uow.payment_runs.add_payment(row, lines)
    answer = {**row, "name": old["name"], "owner_number": old["owner_number"]}
    uow.record(sent_event(actor, run, answer, now), aggregate_key=payment_run_key(run["id"]))
    return answer


async def check_register(
    acc: Accounting, actor: Actor, *, date_from: date | None, date_to: date | None
) -> list[dict[str, Any]]:
    async with acc.uow(actor) as uow:
        return await uow.payment_runs.checks(date_from=date_from, date_to=date_to)


async def positive_pay(acc: Accounting, actor: Actor, *, date_from: date, date_to: date) -> list[list[str]]:
    """Checks issued (pay date) or voided in the period, for the bank's positive-pay matching."""
    async with acc.uow(actor) as uow:
        settings = await uow.payment_runs.settings() or {}
        account = settings.get("check_account_number")
        if not account:
            raise Conflict(
                "Set the account the checks are drawn on (check_account_number) in the payment settings.",
                slug="check-account-missing",
            )
        rows = await uow.payment_runs.checks(date_from=None, date_to=None)
    items = []
    for r in rows:
        if date_from <= r["pay_date"] <= date_to:
            items.append(PositivePayItem(account, r["check_number"], r["pay_date"], Decimal(r["net"]), r["name"]))
        voided = r["voided_at"].date() if r["voided_at"] else None
        if voided is not None and date_from <= voided <= date_to:
            items.append(PositivePayItem(account, r["check_number"], r["pay_date"], Decimal(r["net"]), r["name"], True))
    return positive_pay_rows(items)
