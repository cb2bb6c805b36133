"""Events notifications handles whose contracts are published by services that may not be deployed yet:
``documents.document_expiring.v1`` (the documents service) and ``accounting.owner_payment_late.v1``.

When ``wellflow_contracts`` defines the event, its model is used as it is. Until then a lenient model of the
expected payload is registered here, so a message of that type is read (not dead-lettered as unknown); its
fields are read by name in ``app/describe.py`` and a missing one is said generically. Expected payloads
(docs/notifications.md#events-it-consumes):

- ``documents.document_expiring.v1``: ``document_id``, ``title``, ``expires_on`` (date), ``days_before`` (int)
- ``accounting.owner_payment_late.v1``: ``owner_name``, ``amount`` (decimal), ``due_date`` (date), ``days_late``
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import create_model

from wellflow_contracts import IntegrationEvent
from wellflow_contracts.schemas import load_all_events

_EXPECTED: dict[str, dict[str, Any]] = {
    "documents.document_expiring.v1": {
        "document_id": (UUID | None, None),
        "title": (str | None, None),
        "expires_on": (date | None, None),
        "days_before": (int | None, None),
    },
    "accounting.owner_payment_late.v1": {
        "owner_name": (str | None, None),
        "amount": (Decimal | None, None),
        "due_date": (date | None, None),
        "days_late": (int | None, None),
    },
}


def expected_model(event_type: str) -> type[IntegrationEvent]:
    """The contract's model when ``wellflow_contracts`` has one (every contract module is imported first, so a
    contract is never shadowed, nor met later under the same type), else the lenient expected one."""
    registry = load_all_events()
    if event_type in registry:
        return registry.model_for(event_type)
    name = "Expected" + "".join(part.title() for part in event_type.split(".")[1].split("_"))
    model: type[IntegrationEvent] = create_model(  # registers itself (IntegrationEvent.__pydantic_init_subclass__)
        name, __base__=IntegrationEvent, type=(str, event_type), **_EXPECTED[event_type]
    )
    return model
