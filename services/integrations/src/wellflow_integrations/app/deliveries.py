"""Deliveries as the owner sees them: listed with their attempts, re-sent one at a time or replayed for
everything since a moment. A re-send is a new delivery of the same event (same ``webhook-id``, so a receiver
that processed it already drops it), queued behind what is pending for the same aggregate."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from .common import Integrations
from .intake import new_delivery
from .ports import Row

STATUSES = ("pending", "delivered", "failed")


async def list_deliveries(
    integrations: Integrations,
    actor: Actor,
    *,
    endpoint_id: UUID | None,
    status: str | None,
    limit: int,
    offset: int,
) -> PageOf[Row]:
    if status is not None and status not in STATUSES:
        raise invalid("query.status", f"one of {', '.join(STATUSES)}")
    async with integrations.uow(actor) as uow:
        return await uow.deliveries.search(endpoint_id=endpoint_id, status=status, limit=limit, offset=offset)


async def get_delivery(integrations: Integrations, actor: Actor, delivery_id: UUID) -> Row:
    async with integrations.uow(actor) as uow:
        row = await uow.deliveries.get(delivery_id)
        if row is None:
            raise NotFound(f"No webhook delivery {delivery_id}.")
        return {**row, "attempt_log": await uow.deliveries.attempts(delivery_id)}


async def resend_delivery(integrations: Integrations, actor: Actor, delivery_id: UUID) -> Row:
    now = integrations.clock()
    async with integrations.uow(actor) as uow:
        row = await uow.deliveries.get(delivery_id)
        if row is None:
            raise NotFound(f"No webhook delivery {delivery_id}.")
        if await uow.endpoints.get(row["endpoint_id"]) is None:
            raise invalid("path.delivery_id", "its endpoint was deleted")
        again = new_delivery(row["endpoint_id"], row["event_id"], row["event_type"], row["ordering_key"], now)
        again["replay_of"] = delivery_id
        await uow.deliveries.add([again])
        stored = await uow.deliveries.get(again["id"])
    assert stored is not None
    return stored


async def replay_since(integrations: Integrations, actor: Actor, endpoint_id: UUID, since: datetime) -> int:
    """Queue every kept event of the endpoint's types that occurred at or after ``since``, in their order."""
    if since.tzinfo is None:
        raise invalid("body.since", "a time with its UTC offset")
    now = integrations.clock()
    async with integrations.uow(actor) as uow:
        endpoint = await uow.endpoints.get(endpoint_id)
        if endpoint is None:
            raise NotFound(f"No webhook endpoint {endpoint_id}.")
        events = await uow.deliveries.events_since(since, list(endpoint["event_types"]))
        rows = [new_delivery(endpoint_id, e["id"], e["event_type"], e["ordering_key"], now) for e in events]
        await uow.deliveries.add(rows)
    return len(rows)
