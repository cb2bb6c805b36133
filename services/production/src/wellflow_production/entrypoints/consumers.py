"""The only place production declares its event subscriptions: one durable consumer per wells event type
production keeps a copy of, and accounting's prices (deferred dollars). Each handler is a use case of ``app.assets``
(``app.deferred`` for prices) run in the event tenant's unit of
work after the inbox claimed the event."""

from __future__ import annotations

from wellflow_contracts.events.accounting import PriceRecorded
from wellflow_contracts.events.wells import (
    BatteryConfigured,
    LeaseRegistered,
    LeaseUpdated,
    WellRegistered,
    WellStatusChanged,
    WellTestRecorded,
    WellUpdated,
)
from wellflow_servicekit.broker import EventConsumers

from ..app import assets, deferred


def register_consumers(consumers: EventConsumers) -> None:
    consumers.handler("lease-registered", LeaseRegistered)(assets.on_lease)
    consumers.handler("lease-updated", LeaseUpdated)(assets.on_lease)
    consumers.handler("well-registered", WellRegistered)(assets.on_well)
    consumers.handler("well-updated", WellUpdated)(assets.on_well)
    consumers.handler("well-status-changed", WellStatusChanged)(assets.on_status)
    consumers.handler("battery-configured", BatteryConfigured)(assets.on_battery)
    consumers.handler("well-test-recorded", WellTestRecorded)(assets.on_well_test)
    consumers.handler("price-recorded", PriceRecorded)(deferred.on_price_recorded)
