"""Partners and owners: create, read, update, list. The tax id is stored whole (1099 reporting needs it) and
leaves the service masked; bank account numbers likewise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict, NotFound

from ..adapters.tables import (
    afe_elections,
    costs,
    deck_lines,
    jib_lines,
    jib_payments,
    owner_lines,
    partners,
    prices,
    suspense_entries,
    title_holds,
)
from .context import Accounting, Actor, escape_like, fetch_one, fetch_page, invalid, order_by
from .creates import create_once

SORTS = {"name": partners.c.name, "created_at": partners.c.created_at, "owner_number": partners.c.owner_number}


def _duplicate() -> Conflict:
    return Conflict(
        "Another partner has this owner number.",
        slug="duplicate-partner",
        errors=[{"field": "body.owner_number", "message": "already used by another partner"}],
    )


async def create_partner(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new partner and True, or the partner with this client-chosen id and False (a retried request)."""
    now = acc.clock()
    row = {**data, "organization_id": actor.organization_id, "created_at": now, "updated_at": now}
    row["id"] = data.get("id") or uuid7()
    row.setdefault("status", "active")
    request = {key: value for key, value in data.items() if key != "id"}
    try:
        async with acc.uow(actor) as uow:
            return await create_once(uow, partners, row, request=request, noun="partner")
    except IntegrityError:
        raise _duplicate() from None


async def partner_row(uow: UnitOfWork, partner_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    query = select(partners).where(partners.c.id == partner_id)
    if lock:
        query = query.with_for_update()
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        raise NotFound(f"No partner {partner_id}.")
    return dict(row)


async def get_partner(acc: Accounting, actor: Actor, partner_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await partner_row(uow, partner_id)


async def update_partner(acc: Accounting, actor: Actor, partner_id: UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    try:
        async with acc.uow(actor) as uow:
            await partner_row(uow, partner_id, lock=True)
            if not changes.get("roles", True):
                raise invalid("body.roles", "a partner has at least one role")
            return await fetch_one(
                uow,
                update(partners)
                .where(partners.c.id == partner_id)
                .values({**changes, "updated_at": acc.clock()})
                .returning(partners),
            )
    except IntegrityError:
        raise _duplicate() from None


async def list_partners(
    acc: Accounting,
    actor: Actor,
    *,
    role: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    q: str | None = None,
    sort: str = "name",
    limit: int = 50,
    offset: int = 0,
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
    query = query.order_by(*order_by(sort, SORTS), partners.c.id)
    return await fetch_page(acc, actor, query, limit, offset)


async def require_partners(uow: UnitOfWork, partner_ids: set[UUID], field_name: str) -> dict[UUID, dict[str, Any]]:
    """The partners named, or 422 naming the first unknown one (another tenant's partner is unknown too)."""
    rows = (await uow.connection.execute(select(partners).where(partners.c.id.in_(partner_ids)))).mappings().all()
    found = {row["id"]: dict(row) for row in rows}
    missing = sorted(str(p) for p in partner_ids - set(found))
    if missing:
        raise invalid(field_name, f"no partner {missing[0]} in this organization")
    return found


async def delete_partner(acc: Accounting, actor: Actor, partner_id: UUID) -> None:
    """Only a partner nothing refers to may be deleted (a mistaken entry); one with history is made inactive."""
    references = [
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
    async with acc.uow(actor) as uow:
        await partner_row(uow, partner_id, lock=True)
        used = [
            name
            for name, column in references
            if await uow.connection.scalar(select(column).where(column == partner_id).limit(1))
        ]
        if used:
            raise Conflict(
                f"The partner appears in {', '.join(used)}: set its status to inactive instead.",
                slug="partner-in-use",
                used_by=used,
            )
        await uow.connection.execute(partners.delete().where(partners.c.id == partner_id))
