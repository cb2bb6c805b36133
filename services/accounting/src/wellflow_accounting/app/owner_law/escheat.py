"""Escheat of unclaimed suspense (Property Code 75.101, 74.101, 74.1011; ``wellflow_texas.escheat``): which
owners' balances are presumed abandoned and for which report year, the due-diligence letters mailed before May 1,
and the July 1 report in the NAUPA format. What a report includes leaves suspense by entries that name it: the
report row (with its items and file) and those entries are the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import NotFound, UnprocessableContent
from wellflow_texas import escheat as law

from ...domain import naupa
from ..context import Accounting, Actor, invalid
from ..operator import current_contact
from ..ports import AccountingWork

LETTER_TEXT = (
    "{operator} is holding ${amount} of oil and gas proceeds for you ({name}, owner {number}), unclaimed since "
    "{since}. Texas law (Property Code 74.1011) requires this notice: if you do not claim the proceeds, "
    "{operator} may be required to deliver them to the Texas Comptroller of Public Accounts on or before "
    "July 1, {year}. To claim them, contact {operator} at {contact}."
)


def _address(row: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("address_line1", "address_line2", "city", "state", "postal_code")
    return {key: row.get(key) for key in keys}


def _has_address(row: Mapping[str, Any]) -> bool:
    return bool(row.get("address_line1") and row.get("city") and row.get("state") and row.get("postal_code"))


def _candidate(row: Mapping[str, Any], letters: dict[UUID, Mapping[str, Any]], as_of: date) -> dict[str, Any]:
    last_activity = max(d for d in (row["first_held"], row["last_paid"]) if d is not None)
    presumed = law.presumed_abandoned_on(last_activity)
    year = law.report_year(presumed)
    letter = letters.get(row["partner_id"])
    needs_letter = law.notice_required(row["amount"], _has_address(row))
    problems = []
    if not _has_address(row):
        problems.append("no address on record: no letter can be mailed (74.1011(b))")
    if needs_letter and letter is None:
        problems.append(f"a letter is required by May 1, {year} (more than ${law.NOTICE_ABOVE})")
    if letter is not None and letter["sent_on"] > law.notice_due(year):
        problems.append(f"the letter went out after May 1, {year}")
    claimed = letter is not None and letter["claimed_on"] is not None
    reportable = law.cutoff_day(year) <= as_of and not claimed
    return {
        "partner_id": row["partner_id"],
        "owner_number": row["owner_number"],
        "name": row["name"],
        "amount": row["amount"],
        "last_activity": last_activity,
        "presumed_abandoned_on": presumed,
        "report_year": year,
        "letter_due_by": law.notice_due(year),
        "report_due_by": law.report_due(year),
        "letter_required": needs_letter,
        "letter_id": letter["id"] if letter else None,
        "letter_sent_on": letter["sent_on"] if letter else None,
        "claimed_on": letter["claimed_on"] if letter else None,
        "reportable": reportable,
        "problems": problems,
    }


async def _candidates(uow: AccountingWork, as_of: date) -> list[dict[str, Any]]:
    letters = {row["partner_id"]: row for row in await uow.escheat.letters(None)}
    return [_candidate(row, letters, as_of) for row in await uow.escheat.unclaimed()]


async def candidates(acc: Accounting, actor: Actor, *, as_of: date | None, report_year: int | None) -> dict[str, Any]:
    """Owners with suspense, when each balance is presumed abandoned and in which July 1 report it goes."""
    day = as_of or acc.clock().date()
    async with acc.uow(actor) as uow:
        rows = await _candidates(uow, day)
    if report_year is not None:
        rows = [r for r in rows if r["report_year"] == report_year]
    return {"as_of": day, "items": rows, "total": len(rows)}


async def send_letters(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Record the due-diligence letters of a report year (one per owner and year: sending again changes nothing)."""
    year, sent_on = data["report_year"], data["sent_on"]
    if sent_on > acc.clock().date():
        raise invalid("body.sent_on", "a letter cannot be sent in the future")
    wanted = set(data.get("partner_ids") or [])
    async with acc.uow(actor) as uow:
        await uow.escheat.lock()
        operator = await current_contact(uow)
        owners = {row["partner_id"]: row for row in await uow.escheat.unclaimed()}
        unknown = wanted - set(owners)
        if unknown:
            raise invalid("body.partner_ids", f"no unclaimed suspense for {', '.join(sorted(map(str, unknown)))}")
        sent = []
        for candidate in await _candidates(uow, sent_on):
            owner = owners[candidate["partner_id"]]
            if candidate["report_year"] != year or (wanted and candidate["partner_id"] not in wanted):
                continue
            if not _has_address(owner):
                continue
            row = {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "partner_id": candidate["partner_id"],
                "amount": candidate["amount"],
                "last_activity": candidate["last_activity"],
                "sent_on": sent_on,
                "report_year": year,
                "address": _address(owner),
                "created_by": actor.id,
                "created_at": acc.clock(),
            }
            if await uow.escheat.add_letter(row):
                sent.append(row)
        letters = await uow.escheat.letters(year)
    contact = ", ".join(v for v in (operator.address, operator.phone) if v) or "the address on your statements"
    return {
        "report_year": year,
        "sent": len(sent),
        "items": [
            _letter(row, owners.get(row["partner_id"]), operator.name or "the operator", contact) for row in letters
        ],
    }


def _letter(row: Mapping[str, Any], owner: Mapping[str, Any] | None, operator: str, contact: str) -> dict[str, Any]:
    text = LETTER_TEXT.format(
        operator=operator,
        amount=row["amount"],
        name=(owner or {}).get("name", ""),
        number=(owner or {}).get("owner_number") or "not numbered",
        since=row["last_activity"],
        year=row["report_year"],
        contact=contact,
    )
    return {**row, "text": text}


async def list_letters(acc: Accounting, actor: Actor, report_year: int | None) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        operator = await current_contact(uow)
        owners = {row["partner_id"]: row for row in await uow.escheat.unclaimed()}
        letters = await uow.escheat.letters(report_year)
    contact = ", ".join(v for v in (operator.address, operator.phone) if v) or "the address on your statements"
    name = operator.name or "the operator"
    return {
        "report_year": report_year,
        "sent": 0,
        "items": [_letter(row, owners.get(row["partner_id"]), name, contact) for row in letters],
    }


async def mark_claimed(acc: Accounting, actor: Actor, partner_id: UUID, report_year: int, on: date) -> dict[str, Any]:
    """The owner answered the year's letter: the balance stays in suspense and is not reported."""
    async with acc.uow(actor) as uow:
        row = await uow.escheat.mark_claimed(partner_id, report_year, on)
    if row is None:
        raise NotFound(f"No {report_year} escheat letter to owner {partner_id}.")
    return row


def _properties(uow_rows: list[tuple[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any] | None]]) -> list[Any]:
    out = []
    for candidate, owner, lease in uow_rows:
        out.append(
            naupa.MineralProperty(
                owner_name=owner["name"],
                address1=owner.get("address_line1") or "",
                address2=owner.get("address_line2") or "",
                city=owner.get("city") or "",
                state=owner.get("state") or "",
                zip=(owner.get("postal_code") or "").replace("-", ""),
                tax_id=owner.get("tax_id") or "",
                owner_number=owner.get("owner_number") or "",
                interest=(lease or {}).get("interest_type") or "other",
                amount=candidate["amount"],
                last_transaction=candidate["last_activity"],
                lease_name=(lease or {}).get("name"),
                rrc_district=(lease or {}).get("rrc_district"),
                rrc_lease_number=(lease or {}).get("rrc_lease_number"),
                county=(lease or {}).get("county"),
                owner_decimal=(lease or {}).get("decimal"),
            )
        )
    return out


async def file_report(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The report of ``report_year``: every reportable balance, as a NAUPA file; each reported balance leaves
    suspense by entries naming the report. One report a year: asking again answers the one filed."""
    year = data["report_year"]
    today = acc.clock().date()
    async with acc.uow(actor) as uow:
        await uow.escheat.lock()
        existing = await uow.escheat.report_for(year)
        if existing is not None:
            return existing, False
        if today < law.cutoff_day(year):
            raise invalid("body.report_year", f"the {year} report covers what is held on March 1, {year}")
        owners = {row["partner_id"]: row for row in await uow.escheat.unclaimed()}
        chosen = [c for c in await _candidates(uow, today) if c["report_year"] <= year and c["reportable"]]
        unsent = [c for c in chosen if c["letter_required"] and c["letter_id"] is None]
        if unsent:
            raise UnprocessableContent(
                "Due-diligence letters (Property Code 74.1011) have not been sent to every owner to report.",
                slug="escheat-due-diligence",
                errors=[
                    {"field": f"partner_ids[{c['partner_id']}]", "message": "; ".join(c["problems"])} for c in unsent
                ],
            )
        operator = await current_contact(uow)
        report_id = uuid7()
        releases, described = [], []
        for candidate in chosen:
            balances = await uow.escheat.suspense_by_lease(candidate["partner_id"])
            releases.extend(_releases(acc, actor, report_id, candidate["partner_id"], balances))
            lease = await uow.escheat.last_lease_of(candidate["partner_id"])
            described.append((candidate, owners[candidate["partner_id"]], lease))
        holder = naupa.Holder(
            data["holder_tax_id"], operator.name or "", *_holder_address(await uow.operator.get()), operator.phone or ""
        )
        text = naupa.report_file(holder, year, _properties(described))
        total = sum((c["amount"] for c in chosen), Decimal(0))
        items = [
            {
                "partner_id": str(c["partner_id"]),
                "owner_number": c["owner_number"],
                "amount": str(c["amount"]),
                "last_activity": str(c["last_activity"]),
            }
            for c in chosen
        ]
        row = {
            "organization_id": actor.organization_id,
            "id": report_id,
            "report_year": year,
            "total": total,
            "items": items,
            "file": text,
            "created_by": actor.id,
            "created_at": acc.clock(),
        }
        await uow.escheat.add_report(row, releases)
        return {k: v for k, v in row.items() if k != "organization_id"}, True


def _releases(
    acc: Accounting,
    actor: Actor,
    report_id: UUID,
    partner_id: UUID,
    balances: Mapping[tuple[UUID | None, str], Decimal],
) -> list[dict[str, Any]]:
    """Entries taking each reported balance (per lease and reason) out of suspense, naming the report."""
    now = acc.clock()
    return [
        {
            "organization_id": actor.organization_id,
            "id": uuid7(),
            "partner_id": partner_id,
            "lease_id": lease_id,
            "reason": reason,
            "amount": -amount,
            "run_id": None,
            "month": date(now.year, now.month, 1),
            "created_at": now,
            "escheat_report_id": report_id,
        }
        for (lease_id, reason), amount in balances.items()
    ]


def _holder_address(profile: Mapping[str, Any] | None) -> tuple[str, str, str, str]:
    p = profile or {}
    return (
        p.get("address_line1") or "",
        p.get("city") or "",
        p.get("state") or "",
        (p.get("postal_code") or "").replace("-", ""),
    )


async def list_reports(acc: Accounting, actor: Actor) -> list[dict[str, Any]]:
    async with acc.uow(actor) as uow:
        return await uow.escheat.reports()


async def report_file(acc: Accounting, actor: Actor, report_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        row = await uow.escheat.report(report_id)
    if row is None:
        raise NotFound(f"No escheat report {report_id}.")
    return row
