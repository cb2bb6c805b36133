"""Write a run's files and mark it sent, in two steps that each commit once (docs/payments.md#sending).

1. ``generate_files``: the NACHA file (live credits and prenotes) and the check numbers, stored with the run
   (status ``files_generated``). Generating again answers the stored file: the same bytes, the same trace and
   check numbers.
2. ``mark_sent``: the payments are sent (``paid_at``), the prenotes recorded, one ``payment_sent`` event per
   payment. A run already sent answers unchanged.

A crash between the two leaves the run ``files_generated``: the retry reuses the stored file and numbers, so no
owner is paid twice."""

from __future__ import annotations

import string
from datetime import datetime
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import PaymentSent
from wellflow_servicekit.errors import Conflict

from ...domain import nacha
from ..context import Accounting, Actor, invalid
from ..ports import AccountingWork
from .build import fingerprint, run_row
from .common import payment_run_key, public_run

SETTINGS_FIELDS = (
    "immediate_destination",
    "immediate_destination_name",
    "immediate_origin",
    "immediate_origin_name",
    "company_name",
    "company_id",
    "odfi_routing",
)


def originator(settings: dict[str, Any] | None) -> nacha.Originator:
    settings = settings or {}
    missing = [f for f in SETTINGS_FIELDS if not settings.get(f)]
    if missing:
        raise Conflict(
            "The ACH settings are incomplete: " + ", ".join(missing) + " (PUT /api/v1/payment-settings).",
            slug="ach-settings-missing",
            missing=missing,
        )
    return nacha.Originator(
        **{f: settings[f] for f in SETTINGS_FIELDS}, entry_description=settings.get("entry_description") or "ROYALTY"
    )


def _entries(payments: list[dict[str, Any]]) -> list[nacha.Entry]:
    entries = []
    for p in payments:
        if p["routing_number"] is None:
            continue
        live = p["status"] == "pending" and p["method"] == "ach" and p["net"] > 0
        base = (p["kind"] == "company", p["routing_number"], p["account_number"])
        kind = nacha.AccountType(p["account_type"] or "checking")
        ident = p["owner_number"] or ""
        if p["prenote"]:
            entries.append(nacha.Entry(f"prenote:{p['id']}", *base, kind, nacha.ZERO_AMOUNT, ident, p["name"], True))
        if live:
            entries.append(nacha.Entry(str(p["id"]), *base, kind, p["net"], ident, p["name"]))
    return entries


async def _file_modifier(uow: AccountingWork, run_id: UUID, now: datetime) -> str:
    """A letter (then a digit) per file generated that day, so two files of one day differ (NACHA)."""
    runs = await uow.payment_runs.page_of_runs(status=None, limit=200, offset=0)
    same_day = [r for r in runs["items"] if r["files_generated_at"] and r["files_generated_at"].date() == now.date()]
    symbols = string.ascii_uppercase + string.digits
    return symbols[len(same_day) % len(symbols)]


async def generate_files(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        await uow.payment_runs.lock(actor.organization_id)
        run = await run_row(uow, run_id, lock=True)
        if run["status"] in ("files_generated", "sent"):
            return public_run(run)
        if run["status"] != "approved":
            raise Conflict(
                f"A payment run that is {run['status']} has no files: approve it first.", slug="not-approved"
            )
        payments = await uow.payment_runs.payments(run_id, with_accounts=True)
        now = acc.clock()
        changes: dict[str, Any] = {"status": "files_generated", "files_generated_at": now}
        traces: dict[UUID, str] = {}
        numbers: dict[UUID, int] = {}
        entries = _entries(payments)
        if entries:
            origin = originator(await uow.payment_runs.settings())
            modifier = await _file_modifier(uow, run_id, now)
            try:
                ach = nacha.build_file(
                    origin, entries, created=now, effective=run["pay_date"], file_id_modifier=modifier
                )
            except nacha.AchError as exc:
                raise invalid(f"payment.{exc.field}", exc.message) from None
            changes |= {"ach_file": ach.text.encode("ascii"), "ach_file_id_modifier": modifier}
            traces = {UUID(key): trace for key, trace in ach.traces.items() if ":" not in key}
        checks = [p for p in payments if p["status"] == "pending" and p["method"] == "check" and p["net"] > 0]
        if checks:
            first = await uow.payment_runs.take_check_numbers(len(checks))
            numbers = {p["id"]: first + i for i, p in enumerate(checks)}
        await uow.payment_runs.number_payments(traces, numbers)
        await uow.payment_runs.update_run(run_id, changes)
        return public_run(run | changes)


def sent_event(actor: Actor, run: dict[str, Any], p: dict[str, Any], now: datetime) -> PaymentSent:
    return PaymentSent(
        tenant_id=actor.organization_id,
        payment_run_id=run["id"],
        payment_id=p["id"],
        partner_id=p["partner_id"],
        payee_kind=p["payee_kind"],
        method=p["method"],
        net=p["net"],
        interest=p["interest"],
        check_number=p["check_number"],
        trace_number=p["trace_number"],
        pay_date=run["pay_date"],
        sent_at=now,
    )


async def mark_sent(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        await uow.payment_runs.lock(actor.organization_id)
        run = await run_row(uow, run_id, lock=True)
        if run["status"] == "sent":
            return public_run(run)
        if run["status"] != "files_generated":
            raise Conflict("Generate the run's files before marking it sent.", slug="files-not-generated")
        now = acc.clock()
        payments = await uow.payment_runs.payments(run_id, with_accounts=True)
        await uow.payment_runs.mark_sent(run_id, now)
        prenotes = [
            {
                "organization_id": actor.organization_id,
                "partner_id": p["partner_id"],
                "routing_number": p["routing_number"],
                "run_id": run_id,
                "sent_on": run["pay_date"],
                "account_fingerprint": fingerprint(
                    p["routing_number"], p["account_number"], p["account_type"] or "checking"
                ),
            }
            for p in payments
            if p["prenote"]
        ]
        await uow.payment_runs.add_prenotes(prenotes)
        for p in payments:
            if p["status"] == "pending" and p["net"] > 0:
                uow.record(sent_event(actor, run, p, now), aggregate_key=payment_run_key(run_id))
        changes = {"status": "sent", "sent_by": actor.id, "sent_at": now}
        await uow.payment_runs.update_run(run_id, changes)
        return public_run(run | changes)


async def send_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    """Generate the files if they are not yet, then mark the run sent: each step commits on its own."""
    await generate_files(acc, actor, run_id)
    return await mark_sent(acc, actor, run_id)


async def ach_file(acc: Accounting, actor: Actor, run_id: UUID) -> tuple[bytes, dict[str, Any]]:
    async with acc.uow(actor) as uow:
        run = await run_row(uow, run_id)
    if run["ach_file"] is None:
        if run["status"] in ("files_generated", "sent"):
            raise Conflict("This run pays nobody by ACH: it has no ACH file.", slug="no-ach-file")
        raise Conflict("Generate the run's files first (POST .../files).", slug="files-not-generated")
    return bytes(run["ach_file"]), run
