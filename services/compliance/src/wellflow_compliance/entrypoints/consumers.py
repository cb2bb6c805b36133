"""Event subscribers: thin adapters from other services' events to compliance's intake use cases.

Durable consumers ``compliance-<handler>``; the inbox makes each delivery count once (servicekit)."""

from __future__ import annotations

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
from wellflow_servicekit.database import UnitOfWork

from ..app import intake
from ..app.common import Compliance


def register_consumers(consumers: EventConsumers, compliance: Compliance) -> None:
    @consumers.handler("lease-registered", LeaseRegistered)
    async def lease_registered(uow: UnitOfWork, event: LeaseRegistered) -> None:
        await intake.apply_lease(uow, compliance, event)

    @consumers.handler("lease-updated", LeaseUpdated)
    async def lease_updated(uow: UnitOfWork, event: LeaseUpdated) -> None:
        await intake.apply_lease(uow, compliance, event)

    @consumers.handler("well-registered", WellRegistered)
    async def well_registered(uow: UnitOfWork, event: WellRegistered) -> None:
        await intake.apply_well(uow, compliance, event)

    @consumers.handler("well-updated", WellUpdated)
    async def well_updated(uow: UnitOfWork, event: WellUpdated) -> None:
        await intake.apply_well(uow, compliance, event)

    @consumers.handler("well-status-changed", WellStatusChanged)
    async def well_status_changed(uow: UnitOfWork, event: WellStatusChanged) -> None:
        await intake.apply_well_status(uow, compliance, event)

    @consumers.handler("lease-month-updated", LeaseMonthUpdated)
    async def lease_month_updated(uow: UnitOfWork, event: LeaseMonthUpdated) -> None:
        await intake.apply_lease_month(uow, compliance, event)

    @consumers.handler("run-ticket-recorded", RunTicketRecorded)
    async def run_ticket_recorded(uow: UnitOfWork, event: RunTicketRecorded) -> None:
        await intake.apply_run_ticket(uow, compliance, event)

    @consumers.handler("organization-created", OrganizationCreated)
    async def organization_created(uow: UnitOfWork, event: OrganizationCreated) -> None:
        await intake.apply_organization(uow, compliance, event)
