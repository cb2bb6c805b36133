"""Ownership decks per lease (revenue and cost), effective-dated, and title holds per owner and lease.

A deck is written whole and never edited line by line: a change of ownership is a new deck from a date, and
the previous one is ended the day before (``effective_to`` is exclusive). Decks of one lease and kind may not
overlap, so for any day there is at most one deck in effect."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import NotFound

from ..adapters.tables import deck_lines, decks, leases, partners, title_holds
from ..domain.decks import DeckKind, DeckLine, DeckRejected, InterestType, Period, check_deck, check_period
from ..domain.partners import PartnerRole
from .context import Accounting, Actor, fetch_all, fetch_one, fetch_page, invalid
from .creates import create_once
from .partners import require_partners

ROLE_FOR_INTEREST = {
    InterestType.ROYALTY: PartnerRole.ROYALTY,
    InterestType.ORRI: PartnerRole.ORRI,
    InterestType.WORKING_INTEREST: PartnerRole.WORKING_INTEREST,
}


def rejected(exc: DeckRejected) -> Any:
    extra = {"difference": f"{exc.difference:.8f}"} if exc.difference is not None else {}
    return invalid(exc.field, exc.message, **extra)


async def lease_row(uow: UnitOfWork, lease_id: UUID, field_name: str = "body.lease_id", *, lock: bool = False) -> dict:
    query = select(leases).where(leases.c.id == lease_id)
    if lock:
        query = query.with_for_update()
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        raise invalid(field_name, f"no lease {lease_id} known to accounting (leases come from the wells service)")
    return dict(row)


async def create_deck(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new deck and True, or the existing deck with this client-chosen id and False (a retried request)."""
    kind = DeckKind(data["kind"])
    lines = [
        DeckLine(line["partner_id"], InterestType(line["interest_type"]), line["decimal"]) for line in data["lines"]
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
    request = {
        **{key: row[key] for key in ("lease_id", "kind", "effective_from", "effective_to", "note")},
        "lines": [
            {"partner_id": line.partner_id, "interest_type": line.interest_type.value, "decimal": line.decimal}
            for line in sorted(lines, key=lambda line: (line.interest_type.value, line.partner_id))
        ],
    }
    async with acc.uow(actor) as uow:

        async def check() -> None:
            await lease_row(uow, data["lease_id"], lock=True)  # serializes deck changes of one lease
            try:
                check_deck(kind, lines)
                # without its own id: a copy of this request may have written the deck while we waited
                others = await _periods(uow, data["lease_id"], kind, excluding=row["id"])
                check_period(period, others)
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

        async def with_lines(stored: dict[str, Any]) -> dict[str, Any]:
            return await _deck_with_lines(uow, stored)

        deck, new = await create_once(
            uow, decks, row, request=request, noun="ownership deck", prepare=check, answer=with_lines
        )
        if not new:
            return deck, False
        await uow.connection.execute(
            insert(deck_lines),
            [
                {
                    "organization_id": actor.organization_id,
                    "deck_id": row["id"],
                    "partner_id": line.partner_id,
                    "interest_type": line.interest_type.value,
                    "decimal": line.decimal,
                }
                for line in lines
            ],
        )
        return await _deck_with_lines(uow, deck), True


async def _periods(uow: UnitOfWork, lease_id: UUID, kind: DeckKind, *, excluding: UUID | None = None) -> list[Period]:
    query = select(decks.c.effective_from, decks.c.effective_to).where(
        decks.c.lease_id == lease_id, decks.c.kind == kind.value
    )
    if excluding is not None:
        query = query.where(decks.c.id != excluding)
    return [Period(r.effective_from, r.effective_to) for r in await uow.connection.execute(query)]


async def _deck_with_lines(uow: UnitOfWork, deck: dict[str, Any]) -> dict[str, Any]:
    lines = await fetch_all(
        uow,
        select(deck_lines.c.partner_id, deck_lines.c.interest_type, deck_lines.c.decimal)
        .where(deck_lines.c.deck_id == deck["id"])
        .order_by(deck_lines.c.interest_type, deck_lines.c.partner_id),
    )
    return {**deck, "lines": lines, "total": sum((line["decimal"] for line in lines), 0)}


async def get_deck(acc: Accounting, actor: Actor, deck_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        row = (await uow.connection.execute(select(decks).where(decks.c.id == deck_id))).mappings().first()
        if row is None:
            raise NotFound(f"No ownership deck {deck_id}.")
        return await _deck_with_lines(uow, dict(row))


async def end_deck(acc: Accounting, actor: Actor, deck_id: UUID, effective_to: date | None) -> dict[str, Any]:
    """Set (or clear) the deck's end date; the new period must not overlap its neighbours."""
    async with acc.uow(actor) as uow:
        row = (await uow.connection.execute(select(decks).where(decks.c.id == deck_id))).mappings().first()
        if row is None:
            raise NotFound(f"No ownership deck {deck_id}.")
        await lease_row(uow, row["lease_id"], lock=True)
        try:
            check_period(
                Period(row["effective_from"], effective_to),
                await _periods(uow, row["lease_id"], DeckKind(row["kind"]), excluding=deck_id),
            )
        except DeckRejected as exc:
            raise rejected(exc) from None
        updated = await fetch_one(
            uow, update(decks).where(decks.c.id == deck_id).values(effective_to=effective_to).returning(decks)
        )
        return await _deck_with_lines(uow, updated)


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
    conditions = []
    if lease_id is not None:
        conditions.append(decks.c.lease_id == lease_id)
    if kind is not None:
        conditions.append(decks.c.kind == kind)
    if partner_id is not None:
        conditions.append(decks.c.id.in_(select(deck_lines.c.deck_id).where(deck_lines.c.partner_id == partner_id)))
    if on is not None:
        conditions.append(
            and_(decks.c.effective_from <= on, or_(decks.c.effective_to.is_(None), decks.c.effective_to > on))
        )
    query = select(decks, func.count().over().label("_total")).where(and_(true(), *conditions))
    query = query.order_by(decks.c.lease_id, decks.c.kind, decks.c.effective_from, decks.c.id)
    page = await fetch_page(acc, actor, query, limit, offset)
    async with acc.uow(actor) as uow:
        page["items"] = [await _deck_with_lines(uow, deck) for deck in page["items"]]
    return page


async def decks_in_effect(uow: UnitOfWork, kind: DeckKind, day: date) -> dict[UUID, list[DeckLine]]:
    """Every lease's deck of ``kind`` in effect on ``day``, as lines (one query)."""
    query = (
        select(decks.c.lease_id, deck_lines.c.partner_id, deck_lines.c.interest_type, deck_lines.c.decimal)
        .join(
            deck_lines,
            and_(deck_lines.c.deck_id == decks.c.id, deck_lines.c.organization_id == decks.c.organization_id),
        )
        .where(
            decks.c.kind == kind.value,
            decks.c.effective_from <= day,
            or_(decks.c.effective_to.is_(None), decks.c.effective_to > day),
        )
    )
    result: dict[UUID, list[DeckLine]] = {}
    for row in await uow.connection.execute(query):
        result.setdefault(row.lease_id, []).append(
            DeckLine(row.partner_id, InterestType(row.interest_type), row.decimal)
        )
    return result


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
        if not await uow.connection.scalar(select(partners.c.id).where(partners.c.id == partner_id)):
            raise NotFound(f"No partner {partner_id}.")
        if not await uow.connection.scalar(select(leases.c.id).where(leases.c.id == lease_id)):
            raise NotFound(f"No lease {lease_id} known to accounting.")
        statement = pg_insert(title_holds).values(
            organization_id=actor.organization_id,
            partner_id=partner_id,
            lease_id=lease_id,
            status=status,
            reason=reason if status == "suspend" else None,
            changed_by=actor.id,
            changed_at=acc.clock(),
        )
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "partner_id", "lease_id"],
            set_={k: statement.excluded[k] for k in ("status", "reason", "changed_by", "changed_at")},
        )
        return await fetch_one(uow, statement.returning(title_holds))


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
    conditions = []
    if partner_id is not None:
        conditions.append(title_holds.c.partner_id == partner_id)
    if lease_id is not None:
        conditions.append(title_holds.c.lease_id == lease_id)
    if status is not None:
        conditions.append(title_holds.c.status == status)
    query = select(title_holds, func.count().over().label("_total")).where(and_(true(), *conditions))
    query = query.order_by(title_holds.c.partner_id, title_holds.c.lease_id)
    return await fetch_page(acc, actor, query, limit, offset)


async def suspended_pairs(uow: UnitOfWork) -> dict[tuple[UUID, UUID], str]:
    rows = await uow.connection.execute(
        select(title_holds.c.partner_id, title_holds.c.lease_id, title_holds.c.reason).where(
            title_holds.c.status == "suspend"
        )
    )
    return {(r.partner_id, r.lease_id): r.reason for r in rows}


def lines_of(rows: Sequence[Mapping[str, Any]]) -> list[DeckLine]:
    return [DeckLine(r["partner_id"], InterestType(r["interest_type"]), r["decimal"]) for r in rows]
