"""Partners, ownership decks with their lines, and title holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, and_, case, cast, func, insert, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from wellflow_servicekit.repository import Row, escape_like, order_by

from ...app.ports import DuplicateKey
from ...domain.decks import DeckKind, DeckLine, InterestType, Period
from ..tables import (
    afe_elections,
    costs,
    deck_lines,
    decks,
    jib_lines,
    jib_payments,
    owner_lines,
    partners,
    prices,
    suspense_entries,
    title_holds,
)
from .base import AccountingRepository

FIRST_OWNER_NUMBER = 1001
PARTNER_SORTS = {"name": partners.c.name, "created_at": partners.c.created_at, "owner_number": partners.c.owner_number}

# Where a partner can be referred to, by what the reference is called.
PARTNER_REFERENCES = [
    ("ownership decks", deck_lines.c.partner_id),
    ("title holds", title_holds.c.partner_id),
    ("revenue distributions", owner_lines.c.partner_id),
    ("suspense", suspense_entries.c.partner_id),
    ("purchaser statements", prices.c.purchaser_id),
    ("costs (as vendor)", costs.c.vendor_id),
    ("JIB statements", jib_lines.c.partner_id),
    ("JIB payments", jib_payments.c.partner_id),
    ("AFE elections", afe_elections.c.partner_id),
]


class SqlPartners(AccountingRepository):
    async def add(self, row: dict[str, Any], request: Mapping[str, Any]) -> tuple[Row, bool]:
        return await self.create_once(partners, row, request=request, noun="partner")

    async def get(self, partner_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(partners).where(partners.c.id == partner_id)
        if lock:
            query = query.with_for_update()
        return await self.optional(query)  # with organization_id, as the API has always read it

    async def exists(self, partner_id: UUID) -> bool:
        return bool(await self.scalar(select(partners.c.id).where(partners.c.id == partner_id)))

    async def next_owner_number(self) -> str:
        """One past the highest numeric owner number in the organization (1001 for the first), with the
        organization's numbering held until the transaction ends so two creates never take the same one."""
        await self.advisory_lock(f"accounting.owner-number:{self.organization_id}")
        numeric = partners.c.owner_number.op("~")("^[0-9]{1,9}$")
        highest = await self.scalar(
            select(func.max(case((numeric, cast(partners.c.owner_number, BigInteger)), else_=None)))
        )
        return str(max(int(highest or 0), FIRST_OWNER_NUMBER - 1) + 1)

    async def update(self, partner_id: UUID, changes: Mapping[str, Any]) -> Row:
        try:
            return await self.returning(
                update(partners).where(partners.c.id == partner_id).values(dict(changes)).returning(partners)
            )
        except IntegrityError as exc:
            raise DuplicateKey("partner") from exc

    async def many(self, partner_ids: set[UUID]) -> dict[UUID, Row]:
        rows = await self.all(select(partners).where(partners.c.id.in_(partner_ids)))
        return {row["id"]: row for row in rows}

    async def page_of_partners(
        self,
        *,
        role: str | None,
        kind: str | None,
        status: str | None,
        q: str | None,
        sort: str,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        conditions = []
        if role is not None:
            conditions.append(partners.c.roles.contains([role]))
        if kind is not None:
            conditions.append(partners.c.kind == kind)
        if status is not None:
            conditions.append(partners.c.status == status)
        if q:
            pattern = f"%{escape_like(q)}%"
            conditions.append(or_(partners.c.name.ilike(pattern), partners.c.owner_number.ilike(pattern)))
        query = select(partners, func.count().over().label("_total")).where(and_(true(), *conditions))
        query = query.order_by(*order_by(sort, PARTNER_SORTS), partners.c.id)
        return await self.page_of(query, limit, offset)

    async def references(self, partner_id: UUID) -> list[str]:
        """What refers to the partner (ownership decks, distributions, JIB...), by name."""
        return [
            name
            for name, column in PARTNER_REFERENCES
            if await self.scalar(select(column).where(column == partner_id).limit(1))
        ]

    async def delete(self, partner_id: UUID) -> None:
        await self.execute(partners.delete().where(partners.c.id == partner_id))


class SqlDecks(AccountingRepository):
    async def add(
        self,
        row: dict[str, Any],
        request: Mapping[str, Any],
        *,
        prepare: Callable[[], Awaitable[None]],
        answer: Callable[[Row], Awaitable[Row]],
    ) -> tuple[Row, bool]:
        return await self.create_once(
            decks, row, request=request, noun="ownership deck", prepare=prepare, answer=answer
        )

    async def add_lines(self, organization_id: UUID, deck_id: UUID, lines: list[DeckLine]) -> None:
        await self.execute(
            insert(deck_lines),
            [
                {
                    "organization_id": organization_id,
                    "deck_id": deck_id,
                    "partner_id": line.partner_id,
                    "interest_type": line.interest_type.value,
                    "decimal": line.decimal,
                    "cost_free": line.cost_free,
                }
                for line in lines
            ],
        )

    async def lines(self, deck_id: UUID) -> list[Row]:
        return await self.rows(
            select(deck_lines.c.partner_id, deck_lines.c.interest_type, deck_lines.c.decimal, deck_lines.c.cost_free)
            .where(deck_lines.c.deck_id == deck_id)
            .order_by(deck_lines.c.interest_type, deck_lines.c.partner_id)
        )

    async def get(self, deck_id: UUID) -> Row | None:
        return await self.optional(select(decks).where(decks.c.id == deck_id))

    async def periods(self, lease_id: UUID, kind: DeckKind, *, excluding: UUID | None = None) -> list[Period]:
        query = select(decks.c.effective_from, decks.c.effective_to).where(
            decks.c.lease_id == lease_id, decks.c.kind == kind.value
        )
        if excluding is not None:
            query = query.where(decks.c.id != excluding)
        return [Period(r.effective_from, r.effective_to) for r in await self.execute(query)]

    async def set_end(self, deck_id: UUID, effective_to: date | None) -> Row:
        return await self.returning(
            update(decks).where(decks.c.id == deck_id).values(effective_to=effective_to).returning(decks)
        )

    async def page_of_decks(
        self,
        *,
        lease_id: UUID | None,
        kind: str | None,
        partner_id: UUID | None,
        on: date | None,
        limit: int,
        offset: int,
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
        return await self.page_of(query, limit, offset)

    async def in_effect(self, kind: DeckKind, day: date) -> dict[UUID, list[DeckLine]]:
        """Every lease's deck of ``kind`` in effect on ``day``, as lines (one query)."""
        query = (
            select(
                decks.c.lease_id,
                deck_lines.c.partner_id,
                deck_lines.c.interest_type,
                deck_lines.c.decimal,
                deck_lines.c.cost_free,
            )
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
        for row in await self.execute(query):
            result.setdefault(row.lease_id, []).append(
                DeckLine(row.partner_id, InterestType(row.interest_type), row.decimal, row.cost_free)
            )
        return result


class SqlTitleHolds(AccountingRepository):
    async def put(self, values: dict[str, Any]) -> Row:
        statement = pg_insert(title_holds).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "partner_id", "lease_id"],
            set_={k: statement.excluded[k] for k in ("status", "reason", "changed_by", "changed_at")},
        )
        return await self.returning(statement.returning(title_holds))

    async def page_of_holds(
        self, *, partner_id: UUID | None, lease_id: UUID | None, status: str | None, limit: int, offset: int
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
        return await self.page_of(query, limit, offset)

    async def suspended(self) -> dict[tuple[UUID, UUID], str]:
        """(partner, lease) -> reason, for every hold that suspends."""
        rows = await self.execute(
            select(title_holds.c.partner_id, title_holds.c.lease_id, title_holds.c.reason).where(
                title_holds.c.status == "suspend"
            )
        )
        return {(r.partner_id, r.lease_id): r.reason for r in rows}
