"""Durable consumers of wells, production, compliance and identity events (``accounting-<handler>``); thin: each hands
the event to its use case in ``app.inbound``."""

from __future__ import annotations

from wellflow_contracts.events.compliance import SeveranceTaxComputed
from wellflow_contracts.events.identity import OrganizationUpdated
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

from ..app import inbound, operator

LEASE_MONTH = Coalesce(key=lambda e: (e.lease_id, e.month), revision=lambda e: e.revision)


def register_consumers(consumers: EventConsumers) -> None:
    """The only place accounting declares its event subscriptions."""
    consumers.handler("lease-registered", LeaseRegistered)(inbound.on_lease)
    consumers.handler("lease-updated", LeaseUpdated)(inbound.on_lease)
    consumers.handler("well-registered", WellRegistered)(inbound.on_well)
    consumers.handler("well-updated", WellUpdated)(inbound.on_well)
    consumers.handler("well-status-changed", WellStatusChanged)(inbound.on_well_status)
    # A burst of a lease-month's revisions (a reading each) updates its volumes and reconciliation once, from the
    # newest: each is the whole picture and upsert_month keeps the highest revision (servicekit ``Coalesce``).
    consumers.handler("lease-month-updated", LeaseMonthUpdated, coalesce=LEASE_MONTH)(inbound.on_lease_month)
    consumers.handler("run-ticket-recorded", RunTicketRecorded)(inbound.on_run_ticket)
    consumers.handler("run-ticket-rejected", RunTicketRejected)(inbound.on_run_ticket_rejected)
    consumers.handler("run-ticket-rejection-resolved", RunTicketRejectionResolved)(
        inbound.on_run_ticket_rejection_resolved
    )
    consumers.handler("severance-tax-computed", SeveranceTaxComputed)(inbound.on_severance_tax)
    consumers.handler("organization-updated", OrganizationUpdated)(operator.on_organization_updated)
