"""The inbox: a consumer applies each event once, however often it is delivered.

``claim`` inserts ``(consumer, event_id)`` in the handler's own transaction. If the handler's work rolls
back, so does the claim, and the redelivery tries again; if it commits, a redelivery finds the claim and
changes nothing.
"""

from __future__ import annotations

from uuid import UUID

from wellflow_contracts import IntegrationEvent

from .database import TENANT_SETTING, UnitOfWork
from .repository import driver_beginning, driver_in_transaction

# Sets the unit of work's tenant and claims the event in one round trip: the INSERT reads its row from
# the CTE, so set_config has run before anything is inserted, and the setting holds for the rest of the
# transaction. Every event runs it: prepared on asyncpg (no SQLAlchemy per call).
_CLAIM = (
    f"WITH tenant AS (SELECT set_config('{TENANT_SETTING}', $1, true)) "
    "INSERT INTO inbox (consumer, event_id, tenant_id) SELECT $2, $3, $4 FROM tenant "
    "ON CONFLICT DO NOTHING RETURNING 1"
)


async def claim(uow: UnitOfWork, consumer: str, event: IntegrationEvent) -> bool:
    """True if this consumer has not processed ``event`` before (and now owns it in this transaction).

    Also sets the transaction's tenant to the event's, so it may open a unit of work made with
    ``tenant_set_by_first_statement=True``.
    """
    if uow.tenant_id != event.tenant_id:
        raise ValueError("the unit of work must belong to the event's tenant")
    driver = await driver_beginning(uow.connection)
    return await driver.fetchval(_CLAIM, str(event.tenant_id), consumer, event.event_id, event.tenant_id) is not None


# The events a coalesced batch settled without applying them (a newer revision of the same key was applied in
# the same transaction): claimed in one statement, after ``claim`` set the transaction's tenant.
_CLAIM_ALSO = (
    "INSERT INTO inbox (consumer, event_id, tenant_id) "
    "SELECT $1, event_id, $2 FROM unnest($3::uuid[]) AS event_id "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)


async def claim_also(uow: UnitOfWork, consumer: str, events: list[IntegrationEvent]) -> set[UUID]:
    """Record ``events`` as handled by ``consumer`` in this transaction (after ``claim`` of the event applied).

    A coalescing consumer applies only the newest revision of a key; the older ones it received with it are
    settled here, in the same transaction, so a redelivery of any of them finds its claim and changes nothing.
    Returns the ids claimed now (the others were handled before: duplicates).
    """
    if not events:
        return set()
    if any(event.tenant_id != uow.tenant_id for event in events):
        raise ValueError("the unit of work must belong to the events' tenant")
    driver = await driver_in_transaction(uow.connection)
    rows = await driver.fetch(_CLAIM_ALSO, consumer, uow.tenant_id, [event.event_id for event in events])
    return {row[0] for row in rows}
