"""The integrations service's event subscriptions: one durable consumer of every event of every tenant
(``integrations-webhooks`` on ``<root>.evt.>``), so events of one aggregate arrive in stream order whatever
their type; each becomes the deliveries its organization's endpoints want."""

from __future__ import annotations

from wellflow_contracts import IntegrationEvent
from wellflow_servicekit.broker import EventConsumers

from ..app import intake
from ..app.common import Integrations
from ..app.ports import IntegrationsWork


def register_consumers(consumers: EventConsumers, integrations: Integrations) -> None:
    @consumers.handler("webhooks", IntegrationEvent, subject="evt.>")
    async def webhooks(uow: IntegrationsWork, event: IntegrationEvent) -> None:
        await intake.accept_event(uow, integrations, event)
