"""The current organization, the caller's own profile and the audit trail."""

from __future__ import annotations

from typing import Any

from wellflow_servicekit.errors import NotFound

from .access import confirm
from .context import Caller, Identity
from .ports import Row
from .sessions.session import organization_choices


async def get_organization(ctx: Identity, actor: Caller) -> Row:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        row = await uow.organizations.get(actor.organization_id)
    if row is None:
        raise NotFound("Your organization no longer exists.")
    return row


async def update_organization(ctx: Identity, actor: Caller, changes: dict[str, Any]) -> Row:
    now = ctx.clock()
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        await confirm(ctx, uow, actor, "organization", "write", lock=True)
        if changes:
            await uow.organizations.update(actor.organization_id, now, **changes)
            await uow.audit.record(
                "organization.updated", now=now, actor_kind=actor.kind, actor_id=actor.id, fields=sorted(changes)
            )
        row = await uow.organizations.get(actor.organization_id)
    if row is None:
        raise NotFound("Your organization no longer exists.")
    return row


async def me(ctx: Identity, actor: Caller) -> dict[str, Any]:
    """Who the token speaks for: the person and all their organizations, or the API key."""
    profile: dict[str, Any] = {"kind": actor.kind, "organization_id": actor.organization_id, "role": actor.role}
    if actor.user_id is None:
        return {**profile, "api_key_id": actor.id}
    async with ctx.database.unit_of_work(None) as uow:
        user = await uow.people.get(actor.user_id)
        memberships = await uow.organizations.memberships_of(actor.user_id)
    if user is None:
        raise NotFound("Your account no longer exists.")
    return {
        **profile,
        "user_id": user["id"],
        "email": user["email"],
        "full_name": user["full_name"],
        "organizations": organization_choices(memberships),
    }


async def audit_trail(ctx: Identity, actor: Caller, *, action: str | None, limit: int, offset: int) -> list[Row]:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        return await uow.audit.list_newest(action=action, limit=limit, offset=offset)
