"""Identity's event subscriptions: none. Identity is where members and organizations start; it publishes
(through the outbox) and listens to nobody. A subscription, when one is needed, is declared here."""

from __future__ import annotations

from wellflow_servicekit.consumers import EventConsumers


def register_consumers(consumers: EventConsumers) -> None:
    """Declare identity's event handlers on ``consumers`` (there are none)."""
