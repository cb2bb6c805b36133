"""The organization's name and members, kept from identity's events (never asked of identity)."""

from __future__ import annotations

from typing import Any

from .common import Notifications
from .ports import NotificationsWork


async def organization_named(uow: NotificationsWork, n: Notifications, event: Any, version: int) -> None:
    await uow.tenants.mark(event.tenant_id, n.clock())
    await uow.roster.keep_organization(event.name, version, n.clock())


async def member_joined(uow: NotificationsWork, n: Notifications, event: Any) -> None:
    await uow.tenants.mark(event.tenant_id, n.clock())
    await uow.roster.keep_member(
        {
            "id": event.user_id,
            "email": getattr(event, "email", None),
            "full_name": getattr(event, "full_name", None),
            "role": event.role,
            "active": True,
            "updated_at": n.clock(),
        }
    )


async def member_role_changed(uow: NotificationsWork, n: Notifications, event: Any) -> None:
    if not await uow.roster.change_member(event.user_id, {"role": event.to_role, "updated_at": n.clock()}):
        await uow.roster.keep_member(
            {
                "id": event.user_id,
                "email": None,
                "full_name": None,
                "role": event.to_role,
                "active": True,
                "updated_at": n.clock(),
            }
        )


async def member_deactivated(uow: NotificationsWork, n: Notifications, event: Any) -> None:
    await uow.roster.change_member(event.user_id, {"active": False, "updated_at": n.clock()})
