"""Who the caller is now: identity's own sensitive routes (members, invitations, API keys, the organization's
settings) act on the membership and role in the database, not on the ones a 15-minute token remembers.

A member who was deactivated gets 401 at once (their token speaks for access they no longer have); a member
whose role changed is judged by the new role. An API key is judged by its row: revoked is 401. The routes
check before the use case runs (``current_caller``), and the use cases that change who may do what confirm
again inside their own transaction with the caller's membership row locked (``confirm(..., lock=True)``), so a
demotion committed meanwhile cannot slip between the check and the change.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from wellflow_servicekit.errors import Forbidden, Unauthorized

from .context import Caller, Identity
from .ports import IdentityWork

ACCESS_CHANGED = "Your access to this organization has changed since this token was issued; sign in again."


async def current_caller(ctx: Identity, caller: Caller, resource: str, action: str) -> Caller:
    """The caller with their current role, once it may ``action`` the ``resource``; 401 or 403 otherwise."""
    async with ctx.database.unit_of_work(caller.organization_id) as uow:
        return await confirm(ctx, uow, caller, resource, action)


async def confirm(
    ctx: Identity, uow: IdentityWork, caller: Caller, resource: str, action: str, *, lock: bool = False
) -> Caller:
    """``current_caller`` inside a use case's own transaction (``lock``: hold the membership row until it ends)."""
    now = await current(uow, caller, lock=lock)
    if not ctx.permits(now.role, resource, action):
        raise Forbidden(
            f"Your role ({now.role}) may not {action} {resource.replace('_', ' ')}.",
            resource=resource,
            action=action,
        )
    return now


async def current(uow: IdentityWork, caller: Caller, *, lock: bool = False) -> Caller:
    """The caller as the database has them now: an active member's role, or an unrevoked API key's."""
    try:
        subject = UUID(caller.id)
    except ValueError:
        raise Unauthorized(ACCESS_CHANGED) from None
    if caller.kind == "api_key":
        key = await uow.api_keys.find(subject)
        if key is None or key["organization_id"] != caller.organization_id or key["revoked_at"] is not None:
            raise Unauthorized("This API key has been revoked.")
        return replace(caller, role=key["role"])
    member = await uow.organizations.get_member(subject, lock=lock)
    if member is None or member["status"] != "active":
        raise Unauthorized(ACCESS_CHANGED)
    return replace(caller, role=member["role"])
