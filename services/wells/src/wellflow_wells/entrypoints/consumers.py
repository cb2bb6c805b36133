"""The wells service's event subscriptions: the only place they are declared.

The asset registry is a source of facts (fields, leases, wells, batteries, well tests) and listens to no
other service's events yet; a subscription, when one is needed, is declared here and calls an ``app/`` use
case (see ``docs/adding-a-service.md``).
"""

from __future__ import annotations

from wellflow_servicekit.broker import EventConsumers


def register_consumers(consumers: EventConsumers) -> None:
    """No subscriptions yet."""
