"""Ownership decks per lease (revenue and cost), effective-dated, and title holds per owner and lease.

A deck is written whole and never edited line by line: a change of ownership is a new deck from a date, and
the previous one is ended the day before (``effective_to`` is exclusive). Decks of one lease and kind may not
overlap, so for any day there is at most one deck in effect."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import NotFound

from ..domain.decks import DeckKind, DeckLine, DeckRejected, InterestType, Period, check_deck, check_period
from ..domain.partners import PartnerRole
from .context import Accounting, Actor, invalid
from .partners import require_partners
from .ports import AccountingWork

ROLE_FOR_INTEREST = {
    InterestType.ROYALTY: PartnerRole.ROYALTY,
    InterestType.ORRI: PartnerRole.ORRI,
    InterestType.WORKING_INTEREST: PartnerRole.WORKING_INTEREST,
}


def rejected(exc: DeckRejected) -> Any:
    extra = {"difference": f"{exc.difference:.8f}"} if exc.difference is not None else {}
    return invalid(exc.field, exc.message, **extra)


async def lease_row(
    uow: AccountingWork, lease_id: UUID, field_name: str = "body.lease_id", *, lock: bool = False
) -> dict[str, Any]:
    row = await uow.leases.get(lease_id, lock=lock)
    if row is None:
        raise invalid(field_name, f"no lease {lease_id} known to accounting (leases come from the wells service)")
    return row


def _deck_request(row: Mapping[str, Any], lines: list[DeckLine]) -> dict[str, Any]:
    """What a retry of the create must repeat: the deck's fields and its lines in a stable order."""
    return {
        **{key: row[key] for key in ("lease_id", "kind", "effective_from", "effective_to", "note")},
        "lines": [
            {"partner_id": line.partner_id, "interest_type": line.interest_type.value, "decimal": line.decimal}
            for line in sorted(lines, key=lambda line: (line.interest_type.value, line.partner_id))
        ],
    }


async def _check_new_deck(
    uow: AccountingWork, deck_id: UUID, lease_id: UUID, kind: DeckKind, period: Period, lines: list[DeckLine]
) -> None:
    """The deck adds up, does not overlap the lease's other decks of its kind, and each owner has the role
    its interest needs."""
    await lease_row(uow, lease_id, lock=True)  # serializes deck changes of one lease
    try:
        check_deck(kind, lines)
        # without its own id: a copy of this request may have written the deck while we waited
        check_period(period, await uow.decks.periods(lease_id, kind, excluding=deck_id))
    except DeckRejected as exc:
        raise rejected(exc) from None
    found = await require_partners(uow, {line.partner_id for line in lines}, "body.lines")
    for index, line in enumerate(lines):
        role = ROLE_FOR_INTEREST[line.interest_type]
        if role.value not in found[line.partner_id]["roles"]:
            raise invalid(
                f"body.lines[{index}].partner_id",
                f"{found[line.partner_id]['name']} does not have the role {role.value} a "
                f"{line.interest_type.value} interest needs",
            )


async def create_deck(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new deck and True, or the existing deck with this client-chosen id and False (a retried request)."""
    kind = DeckKind(data["kind"])
    lines = [
        DeckLine(line["partner_id"], InterestType(line["interest_type"]), line["decimal"], bool(line.get("cost_free")))
        for line in data["lines"]
    ]
    period = Period(data["effective_from"], data.get("effective_to"))
    row = {
        "organization_id": actor.organization_id,
        "id": data.get("id") or uuid7(),
        "lease_id": data["lease_id"],
        "kind": kind.value,
        "effective_from": period.start,
        "effective_to": period.end,
        "note": data.get("note"),
        "created_by": actor.id,
        "created_at": acc.clock(),
    }
    async with acc.uow(actor) as uow:

        async def check() -> None:
            await _check_new_deck(uow, row["id"], data["lease_id"], kind, period, lines)

        async def with_lines(stored: dict[str, Any]) -> dict[str, Any]:
            return await deck_with_lines(uow, stored)

        deck, new = await uow.decks.add(row, _deck_request(row, lines), prepare=check, answer=with_lines)
        if not new:
            return deck, False
        await uow.decks.add_lines(actor.organization_id, row["id"], lines)
        return await deck_with_lines(uow, deck), True


async def deck_with_lines(uow: AccountingWork, deck: dict[str, Any]) -> dict[str, Any]:
    lines = await uow.decks.lines(deck["id"])
    return {**deck, "lines": lines, "total": sum((line["decimal"] for line in lines), 0)}


async def _deck(uow: AccountingWork, deck_id: UUID) -> dict[str, Any]:
    row = await uow.decks.get(deck_id)
    if row is None:
        raise NotFound(f"No ownership deck {deck_id}.")
    return row


async def get_deck(acc: Accounting, actor: Actor, deck_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await deck_with_lines(uow, await _deck(uow, deck_id))


async def end_deck(acc: Accounting, actor: Actor, deck_id: UUID, effective_to: date | None) -> dict[str, Any]:
    """Set (or clear) the deck's end date; the new period must not overlap its neighbours."""
    async with acc.uow(actor) as uow:
        row = await _deck(uow, deck_id)
        await lease_row(uow, row["lease_id"], lock=True)
        try:
            check_period(
                Period(row["effective_from"], effective_to),
                await uow.decks.periods(row["lease_id"], DeckKind(row["kind"]), excluding=deck_id),
            )
        except DeckRejected as exc:
            raise rejected(exc) from None
        return await deck_with_lines(uow, await uow.decks.set_end(deck_id, effective_to))


async def list_decks(
    acc: Accounting,
    actor: Actor,
    *,
    lease_id: UUID | None = None,
    kind: str | None = None,
    partner_id: UUID | None = None,
    on: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        page = await uow.decks.page_of_decks(
            lease_id=lease_id, kind=kind, partner_id=partner_id, on=on, limit=limit, offset=offset
        )
    async with acc.uow(actor) as uow:
        page["items"] = [await deck_with_lines(uow, deck) for deck in page["items"]]
    return page


async def decks_in_effect(uow: AccountingWork, kind: DeckKind, day: date) -> dict[UUID, list[DeckLine]]:
    """Every lease's deck of ``kind`` in effect on ``day``, as lines."""
    return await uow.decks.in_effect(kind, day)


# ---------------------------------------------------------------- title holds


async def set_title_hold(
    acc: Accounting, actor: Actor, partner_id: UUID, lease_id: UUID, status: str, reason: str | None
) -> dict[str, Any]:
    """Pay or suspend one owner's revenue from one lease; suspending needs a reason. Setting it back to pay
    releases what was held for title on the next distribution run."""
    if status == "suspend" and not reason:
        raise invalid("body.reason", "say why the owner's revenue is suspended (e.g. title curative, probate)")
    async with acc.uow(actor) as uow:
        # Both ids are in the path: an unknown one (or another organization's) is not found.
        if not await uow.partners.exists(partner_id):
            raise NotFound(f"No partner {partner_id}.")
        if not await uow.leases.exists(lease_id):
            raise NotFound(f"No lease {lease_id} known to accounting.")
        return await uow.title_holds.put(
            {
                "organization_id": actor.organization_id,
                "partner_id": partner_id,
                "lease_id": lease_id,
                "status": status,
                "reason": reason if status == "suspend" else None,
                "changed_by": actor.id,
                "changed_at": acc.clock(),
            }
        )


async def list_title_holds(
    acc: Accounting,
    actor: Actor,
    *,
    partner_id: UUID | None = None,
    lease_id: UUID | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.title_holds.page_of_holds(
            partner_id=partner_id, lease_id=lease_id, status=status, limit=limit, offset=offset
        )


async def suspended_pairs(uow: AccountingWork) -> dict[tuple[UUID, UUID], str]:
    return await uow.title_holds.suspended()
