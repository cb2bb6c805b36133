"""Partners and owners: create, read, update, list. The tax id is stored whole (1099 reporting needs it) and
leaves the service masked; bank account numbers likewise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound

from ..domain.tax_identity import TinType, guess_tin_type, tin_problem
from .context import Accounting, Actor, invalid
from .ports import AccountingWork, DuplicateKey


def check_tin(row: dict[str, Any], *, kind: str | None) -> None:
    """A TIN is valid for its type (given, or an individual's SSN and a company's EIN): 422 ``body.tax_id``."""
    if not row.get("tax_id"):
        if "tax_id" in row:
            row["tin_type"] = None
        return
    tin_type = (
        TinType(row["tin_type"])
        if row.get("tin_type")
        else guess_tin_type(row["tax_id"], individual=kind == "individual")
    )
    problem = tin_problem(row["tax_id"], tin_type)
    if problem:
        raise invalid("body.tax_id", problem)
    row["tin_type"] = tin_type.value


def _duplicate() -> Conflict:
    return Conflict(
        "Another partner has this owner number.",
        slug="duplicate-partner",
        errors=[{"field": "body.owner_number", "message": "already used by another partner"}],
    )


async def create_partner(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new partner and True, or the partner with this client-chosen id and False (a retried request).

    Without an owner number the partner gets the organization's next one (1001, 1002, ...): statements and
    file names name owners by it, never by an internal id."""
    now = acc.clock()
    row = {**data, "organization_id": actor.organization_id, "created_at": now, "updated_at": now}
    row["id"] = data.get("id") or uuid7()
    check_tin(row, kind=row.get("kind"))
    row.setdefault("status", "active")
    request = {key: value for key, value in data.items() if key != "id"}
    try:
        async with acc.uow(actor) as uow:
            if not row.get("owner_number"):
                row["owner_number"] = await uow.partners.next_owner_number()
            return await uow.partners.add(row, request)
    except DuplicateKey:
        raise _duplicate() from None


async def partner_row(uow: AccountingWork, partner_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    row = await uow.partners.get(partner_id, lock=lock)
    if row is None:
        raise NotFound(f"No partner {partner_id}.")
    return row


async def get_partner(acc: Accounting, actor: Actor, partner_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await partner_row(uow, partner_id)


async def update_partner(acc: Accounting, actor: Actor, partner_id: UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    try:
        async with acc.uow(actor) as uow:
            current = await partner_row(uow, partner_id, lock=True)
            if "tax_id" in changes or "tin_type" in changes:
                changes = {"tax_id": current.get("tax_id"), "tin_type": current.get("tin_type"), **changes}
                check_tin(changes, kind=changes.get("kind") or current.get("kind"))
            if not changes.get("roles", True):
                raise invalid("body.roles", "a partner has at least one role")
            if "owner_number" in changes and not changes["owner_number"]:
                raise invalid("body.owner_number", "every partner keeps an owner number: give another one instead")
            return await uow.partners.update(partner_id, {**changes, "updated_at": acc.clock()})
    except DuplicateKey:
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
    async with acc.uow(actor) as uow:
        return await uow.partners.page_of_partners(
            role=role, kind=kind, status=status, q=q, sort=sort, limit=limit, offset=offset
        )


async def require_partners(uow: AccountingWork, partner_ids: set[UUID], field_name: str) -> dict[UUID, dict[str, Any]]:
    """The partners named, or 422 naming the first unknown one (another tenant's partner is unknown too)."""
    found = await uow.partners.many(partner_ids)
    missing = sorted(str(p) for p in partner_ids - set(found))
    if missing:
        raise invalid(field_name, f"no partner {missing[0]} in this organization")
    return found


async def delete_partner(acc: Accounting, actor: Actor, partner_id: UUID) -> None:
    """Only a partner nothing refers to may be deleted (a mistaken entry); one with history is made inactive."""
    async with acc.uow(actor) as uow:
        await partner_row(uow, partner_id, lock=True)
        used = await uow.partners.references(partner_id)
        if used:
            raise Conflict(
                f"The partner appears in {', '.join(used)}: set its status to inactive instead.",
                slug="partner-in-use",
                used_by=used,
            )
        await uow.partners.delete(partner_id)
