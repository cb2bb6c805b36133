"""The notifications service's event subscriptions: identity's roster events (who is in the organization, with
which role and address) and every event somebody must hear about. Each is a durable consumer
``notifications-<handler>`` applied through the inbox."""

from __future__ import annotations

from typing import Any

from wellflow_contracts import IntegrationEvent
from wellflow_contracts.events.accounting import (
    AfeOverrunDetected,
    OwnerPaymentLate,
    PaymentRunApproved,
    ReconciliationItemRaised,
)
from wellflow_contracts.events.compliance import FilingDeadlineApproaching, FilingDeadlineMissed, ReportRejected
from wellflow_contracts.events.documents import DocumentExpiring
from wellflow_contracts.events.identity import (
    MemberDeactivated,
    MemberInvited,
    MemberJoined,
    MemberRoleChanged,
    OrganizationCreated,
    OrganizationUpdated,
)
from wellflow_contracts.events.production import AlertRaised
from wellflow_servicekit.broker import EventConsumers

from ..app import intake, invitations, roster
from ..app.common import Notifications
from ..app.ports import NotificationsWork


def register_consumers(consumers: EventConsumers, n: Notifications) -> None:
    _roster(consumers, n)
    notified: list[tuple[str, Any]] = [
        ("production-alerts", AlertRaised),
        ("filing-deadlines", FilingDeadlineApproaching),
        ("filing-missed", FilingDeadlineMissed),
        ("filing-rejected", ReportRejected),
        ("afe-overruns", AfeOverrunDetected),
        ("documents-expiring", DocumentExpiring),
        ("owner-payments-late", OwnerPaymentLate),
        ("payment-runs-approved", PaymentRunApproved),
        ("reconciliation-items", ReconciliationItemRaised),
    ]
    for name, model in notified:
        consumers.handler(name, model)(_notify(n))


def _notify(n: Notifications) -> Any:
    async def handle(uow: NotificationsWork, event: Any) -> None:
        await intake.notify(uow, n, event)

    return handle


def _roster(consumers: EventConsumers, n: Notifications) -> None:
    """One consumer of every identity event, so a member's joined, role changed and deactivated (and an
    organization's snapshots) are applied in the order identity published them."""

    @consumers.handler("identity", IntegrationEvent, subject="evt.*.identity.>")
    async def identity(uow: NotificationsWork, event: IntegrationEvent) -> None:
        if isinstance(event, OrganizationCreated):
            await roster.organization_named(uow, n, event, version=0)
        elif isinstance(event, OrganizationUpdated):
            await roster.organization_named(uow, n, event, version=event.version)
        elif isinstance(event, MemberJoined):
            await roster.member_joined(uow, n, event)
        elif isinstance(event, MemberRoleChanged):
            await roster.member_role_changed(uow, n, event)
        elif isinstance(event, MemberDeactivated):
            await roster.member_deactivated(uow, n, event)
        elif isinstance(event, MemberInvited):
            await invitations.queue_invitation(uow, n, event)
