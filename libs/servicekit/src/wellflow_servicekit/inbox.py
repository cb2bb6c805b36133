"""The inbox: a consumer applies each event once, however often it is delivered.

``claim`` inserts ``(consumer, event_id)`` in the handler's own transaction. If the handler's work rolls
back, so does the claim, and the redelivery tries again; if it commits, a redelivery finds the claim and
changes nothing.
"""

from __future__ import annotations

from sqlalchemy import text

from wellflow_contracts import IntegrationEvent

from .database import UnitOfWork

_CLAIM = text(
    "INSERT INTO inbox (consumer, event_id, tenant_id) VALUES (:consumer, :event_id, :tenant_id) "
    "ON CONFLICT DO NOTHING RETURNING 1"
)


async def claim(uow: UnitOfWork, consumer: str, event: IntegrationEvent) -> bool:
    """True if this consumer has not processed ``event`` before (and now owns it in this transaction)."""
    result = await uow.connection.execute(
        _CLAIM, {"consumer": consumer, "event_id": event.event_id, "tenant_id": event.tenant_id}
    )
    return result.first() is not None
