"""Event subscribers: the only place compliance declares its subscriptions, each a thin adapter from another
service's event to one of compliance's intake use cases.

Durable consumers ``compliance-<handler>``; the inbox makes each delivery count once (servicekit)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from wellflow_contracts import IntegrationEvent
from wellflow_contracts.events.accounting import PriceRecorded
from wellflow_contracts.events.identity import OrganizationCreated, OrganizationUpdated
from wellflow_contracts.events.production import (
    LeaseMonthUpdated,
    RunTicketRecorded,
    RunTicketRejected,
    RunTicketRejectionResolved,
)
from wellflow_contracts.events.wells import (
    LeaseRegistered,
    LeaseUpdated,
    WellRegistered,
    WellStatusChanged,
    WellUpdated,
)
from wellflow_servicekit.broker import EventConsumers
from wellflow_servicekit.coalescing import Coalesce

from ..app import intake, valuation
from ..app.common import Compliance
from ..app.ports import ComplianceWork

Apply = Callable[[Any, Compliance, Any], Awaitable[object]]

SUBSCRIPTIONS: tuple[tuple[str, type[IntegrationEvent], Apply], ...] = (
    ("lease-registered", LeaseRegistered, intake.apply_lease),
    ("lease-updated", LeaseUpdated, intake.apply_lease),
    ("well-registered", WellRegistered, intake.apply_well),
    ("well-updated", WellUpdated, intake.apply_well),
    ("well-status-changed", WellStatusChanged, intake.apply_well_status),
    ("lease-month-updated", LeaseMonthUpdated, intake.apply_lease_month),
    ("run-ticket-recorded", RunTicketRecorded, intake.apply_run_ticket),
    ("run-ticket-rejected", RunTicketRejected, intake.apply_run_ticket_rejected),
    ("run-ticket-rejection-resolved", RunTicketRejectionResolved, intake.apply_run_ticket_rejection_resolved),
    ("organization-created", OrganizationCreated, intake.apply_organization),
    ("organization-updated", OrganizationUpdated, intake.apply_profile),
    ("price-recorded", PriceRecorded, valuation.apply_price_recorded),
)
"""(handler name, event, intake use case): the durable consumer ``compliance-<handler name>`` runs the use case
in the unit of work of the event's tenant."""


def consumers_of(compliance: Compliance) -> Callable[[EventConsumers], None]:
    """``register_consumers`` bound to the use cases' handle (what bootstrap passes ``create_app``)."""

    def register(consumers: EventConsumers) -> None:
        register_consumers(consumers, compliance)

    return register


LEASE_MONTH = Coalesce(key=lambda e: (e.lease_id, e.month.replace(day=1)), revision=lambda e: e.revision)
"""A burst of ``LeaseMonthUpdated`` for one lease-month (a reading each) rebuilds its line once, from the newest
revision: each event is the lease-month's whole picture and ``apply_lease_month`` keeps the highest revision, so
the older ones are claimed in the same transaction and change nothing (servicekit ``Coalesce``)."""

COALESCING: dict[str, Coalesce] = {"lease-month-updated": LEASE_MONTH}


def register_consumers(consumers: EventConsumers, compliance: Compliance) -> None:
    for name, event_model, apply in SUBSCRIPTIONS:
        consumers.handler(name, event_model, coalesce=COALESCING.get(name))(_handler(apply, compliance))


def _handler(apply: Apply, compliance: Compliance) -> Callable[[ComplianceWork, IntegrationEvent], Awaitable[None]]:
    async def handle(uow: ComplianceWork, event: IntegrationEvent) -> None:
        await apply(uow, compliance, event)

    handle.__name__ = apply.__name__
    return handle
