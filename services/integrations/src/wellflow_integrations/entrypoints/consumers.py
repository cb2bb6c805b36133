"""The integrations service's event subscriptions: one durable consumer of every event of every tenant
(``integrations-webhooks`` on ``<root>.evt.>``), so events of one aggregate arrive in stream order whatever
their type; each becomes the deliveries its organization's endpoints want."""

from __future__ import annotations

from wellflow_contracts import IntegrationEvent
from wellflow_contracts.schemas import load_all_events
from wellflow_servicekit.broker import EventConsumers

from ..app import intake
from ..app.common import Integrations
from ..app.ports import IntegrationsWork


def register_consumers(consumers: EventConsumers, integrations: Integrations) -> None:
    # The one consumer reads every service's events: every contract must be known in this process, not only the
    # modules something happened to import (an unknown type is dead-lettered as unreadable).
    load_all_events()

    @consumers.handler("webhooks", IntegrationEvent, subject="evt.>")
    async def webhooks(uow: IntegrationsWork, event: IntegrationEvent) -> None:
        await intake.accept_event(uow, integrations, event)
