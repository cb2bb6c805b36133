"""Event subscribers: the only place compliance declares its subscriptions, each a thin adapter from another
service's event to one of compliance's intake use cases.

Durable consumers ``compliance-<handler>``; the inbox makes each delivery count once (servicekit)."""

from __future__ import annotations

from collections.abc import Callable

from wellflow_contracts.events.identity import OrganizationCreated
from wellflow_contracts.events.production import LeaseMonthUpdated, RunTicketRecorded
from wellflow_contracts.events.wells import (
    LeaseRegistered,
    LeaseUpdated,
    WellRegistered,
    WellStatusChanged,
    WellUpdated,
)
from wellflow_servicekit.broker import EventConsumers

from ..app import intake
from ..app.common import Compliance
from ..app.ports import ComplianceWork


def consumers_of(compliance: Compliance) -> Callable[[EventConsumers], None]:
    """``register_consumers`` bound to the use cases' handle (what bootstrap passes ``create_app``)."""

    def register(consumers: EventConsumers) -> None:
        register_consumers(consumers, compliance)

    return register


def register_consumers(consumers: EventConsumers, compliance: Compliance) -> None:
    @consumers.handler("lease-registered", LeaseRegistered)
    async def lease_registered(uow: ComplianceWork, event: LeaseRegistered) -> None:
        await intake.apply_lease(uow, compliance, event)

    @consumers.handler("lease-updated", LeaseUpdated)
    async def lease_updated(uow: ComplianceWork, event: LeaseUpdated) -> None:
        await intake.apply_lease(uow, compliance, event)

    @consumers.handler("well-registered", WellRegistered)
    async def well_registered(uow: ComplianceWork, event: WellRegistered) -> None:
        await intake.apply_well(uow, compliance, event)

    @consumers.handler("well-updated", WellUpdated)
    async def well_updated(uow: ComplianceWork, event: WellUpdated) -> None:
        await intake.apply_well(uow, compliance, event)

    @consumers.handler("well-status-changed", WellStatusChanged)
    async def well_status_changed(uow: ComplianceWork, event: WellStatusChanged) -> None:
        await intake.apply_well_status(uow, compliance, event)

    @consumers.handler("lease-month-updated", LeaseMonthUpdated)
    async def lease_month_updated(uow: ComplianceWork, event: LeaseMonthUpdated) -> None:
        await intake.apply_lease_month(uow, compliance, event)

    @consumers.handler("run-ticket-recorded", RunTicketRecorded)
    async def run_ticket_recorded(uow: ComplianceWork, event: RunTicketRecorded) -> None:
        await intake.apply_run_ticket(uow, compliance, event)

    @consumers.handler("organization-created", OrganizationCreated)
    async def organization_created(uow: ComplianceWork, event: OrganizationCreated) -> None:
        await intake.apply_organization(uow, compliance, event)
