"""Refused loads: the purchaser turned a load away after its run ticket was written (BS&W or gravity out of the
contract's limits, a bad seal, a short haul). The oil never left the tank, so the ticket stops counting as a
disposition (the lease-month rollup, the battery allocation and the tank balance leave it out) and the dispute
stays open until someone settles it, saying who and why. The photo is a document id kept as given (the
documents service owns the file)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_contracts.events.production import RunTicketRejected, RunTicketRejectionResolved
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, jsonable

from .common import Production, lease_key, month_start, page_body
from .field_data.shared import refresh_from
from .ports import ProductionWork


def rejection_body(row: dict[str, Any]) -> dict[str, Any]:
    return jsonable({k: v for k, v in row.items() if k != "organization_id"})  # type: ignore[no-any-return]


async def _ticket(uow: ProductionWork, ticket_id: UUID) -> dict[str, Any]:
    ticket = await uow.run_tickets.get(ticket_id)
    if ticket is None:
        raise NotFound(f"No run ticket {ticket_id}.")
    return ticket


async def reject(
    production: Production, actor: Actor, ticket_id: UUID, reason: str, photo_document_id: str | None
) -> tuple[int, dict[str, Any]]:
    """Record the refusal (201); the same refusal again answers the first (200); a different one is 409."""
    now = production.clock()
    async with production.uow(actor) as uow:
        ticket = await _ticket(uow, ticket_id)
        row = {
            "organization_id": actor.organization_id,
            "run_ticket_id": ticket_id,
            "reason": reason,
            "photo_document_id": photo_document_id,
            "rejected_at": now,
            "recorded_by": actor.id,
            "dispute_state": "open",
        }
        if not await uow.rejections.add(row):
            existing = await uow.rejections.get(ticket_id)
            assert existing is not None
            if (existing["reason"], existing["photo_document_id"]) == (reason, photo_document_id):
                return 200, rejection_body(existing)
            raise Conflict(
                f"Run ticket {ticket['ticket_number']} was refused already ({existing['reason']!r}).",
                slug="already-rejected",
            )
        await refresh_from(uow, actor, ticket["lease_id"], {ticket["production_month"]})
        uow.record(
            RunTicketRejected(
                tenant_id=actor.organization_id,
                ticket_id=ticket_id,
                ticket_number=ticket["ticket_number"],
                purchaser=ticket["purchaser"],
                hauler=ticket["hauler"],
                lease_id=ticket["lease_id"],
                tank_id=ticket["tank_id"],
                production_month=month_start(ticket["production_month"]),
                gross_bbl=ticket["gross_bbl"],
                net_bbl=ticket["net_bbl"],
                reason=reason,
                photo_document_id=photo_document_id,
                rejected_at=now,
                recorded_by=actor.id,
            ),
            aggregate_key=lease_key(ticket["lease_id"]),
        )
        stored = await uow.rejections.get(ticket_id)
    assert stored is not None
    return 201, rejection_body(stored)


async def resolve(production: Production, actor: Actor, ticket_id: UUID, resolution: str) -> dict[str, Any]:
    now = production.clock()
    async with production.uow(actor) as uow:
        existing = await uow.rejections.get(ticket_id)
        if existing is None:
            raise NotFound(f"Run ticket {ticket_id} has no refused load.")
        if existing["dispute_state"] == "resolved" and existing["resolution"] == resolution:
            return rejection_body(existing)  # a retry of the same settlement answers the first
        if not await uow.rejections.resolve(ticket_id, now, actor.id, resolution):
            raise Conflict(
                f"The dispute over run ticket {existing['ticket_number']} was resolved by {existing['resolved_by']}.",
                slug="already-resolved",
            )
        uow.record(
            RunTicketRejectionResolved(
                tenant_id=actor.organization_id,
                ticket_id=ticket_id,
                lease_id=existing["lease_id"],
                resolution=resolution,
                resolved_by=actor.id,
                resolved_at=now,
            ),
            aggregate_key=lease_key(existing["lease_id"]),
        )
        stored = await uow.rejections.get(ticket_id)
    assert stored is not None
    return rejection_body(stored)


async def get_rejection(production: Production, actor: Actor, ticket_id: UUID) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        row = await uow.rejections.get(ticket_id)
    if row is None:
        raise NotFound(f"Run ticket {ticket_id} has no refused load.")
    return rejection_body(row)


async def list_rejections(
    production: Production,
    actor: Actor,
    *,
    state: str | None,
    lease_id: UUID | None,
    purchaser: str | None,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        rows = await uow.rejections.latest_first(
            state=state, lease_id=lease_id, purchaser=purchaser, offset=offset, limit=limit
        )
    return page_body([rejection_body(r) for r in rows[:limit]], rows, offset=offset, limit=limit)
