"""The caller's own profile (/me) and the audit trail. The organization's profile is ``profile``."""

from __future__ import annotations

from typing import Any

from wellflow_servicekit.errors import NotFound

from .context import Caller, Identity
from .ports import USER_SETTING, Row
from .sessions.session import organization_choices


async def me(ctx: Identity, actor: Caller) -> dict[str, Any]:
    """Who the token speaks for: the person and all their organizations, or the API key."""
    profile: dict[str, Any] = {"kind": actor.kind, "organization_id": actor.organization_id, "role": actor.role}
    if actor.user_id is None:
        return {**profile, "api_key_id": actor.id}
    # The person's memberships open to this transaction from its BEGIN (one round trip fewer than setting it later).
    async with ctx.database.unit_of_work(None, settings={USER_SETTING: actor.user_id}) as uow:
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
