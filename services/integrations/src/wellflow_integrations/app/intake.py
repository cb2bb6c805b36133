"""Every integration event of an organization with webhook endpoints is kept (for replays) and becomes one
pending delivery per enabled endpoint that wants its type, in the consumer's unit of work: the inbox, the
kept event and its deliveries commit together, so a crash loses nothing and a redelivery adds nothing."""

from __future__ import annotations

from wellflow_contracts import IntegrationEvent, encode
from wellflow_contracts.ids import uuid7

from .common import Integrations
from .ports import IntegrationsWork, Row


async def accept_event(uow: IntegrationsWork, integrations: Integrations, event: IntegrationEvent) -> int:
    """The number of deliveries queued for ``event``."""
    endpoints = await uow.endpoints.interested_in(event.type)
    if not endpoints and not await uow.endpoints.any():
        return 0  # an organization without endpoints: nothing kept
    now = integrations.clock()
    await uow.deliveries.keep_event(
        {
            "id": event.event_id,
            "event_type": event.type,
            "ordering_key": event.aggregate_id,
            "payload": encode(event),
            "occurred_at": event.occurred_at,
            "received_at": now,
        }
    )
    rows = [new_delivery(endpoint["id"], event.event_id, event.type, event.aggregate_id, now) for endpoint in endpoints]
    await uow.deliveries.add(rows)
    return len(rows)


def new_delivery(endpoint_id: object, event_id: object, event_type: str, key: str | None, now: object) -> Row:
    return {
        "id": uuid7(),
        "endpoint_id": endpoint_id,
        "event_id": event_id,
        "event_type": event_type,
        "ordering_key": key,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
