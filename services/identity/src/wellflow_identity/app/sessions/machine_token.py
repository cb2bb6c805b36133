"""Exchanging an API key for a short-lived access token."""

from __future__ import annotations

from uuid import UUID

from wellflow_servicekit.errors import Unauthorized

from ...domain.roles import OWNER
from ...domain.secrets import parse_api_key, same_hash
from ..context import Identity
from ..ports import IdentityWork
from .session import MachineToken


async def exchange_api_key(ctx: Identity, key: str) -> MachineToken:
    """An access token for an API key's organization and role (``kind = api_key``, ``sub`` = key id)."""
    parsed = parse_api_key(key)
    if parsed is None:
        raise Unauthorized("The API key is not valid.")
    key_id, secret = parsed
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        row = await uow.api_keys.find(key_id)
        if row is None or not same_hash(secret, row["secret_hash"]):
            raise Unauthorized("The API key is not valid.")
        if row["revoked_at"] is not None:
            raise Unauthorized("The API key has been revoked.")
        await uow.use_tenant(row["organization_id"])
        if not await _creator_is_an_active_owner(uow, row["created_by"]):
            raise Unauthorized("The API key is void: whoever created it is no longer an owner here.")
        await uow.api_keys.touch(key_id, now)
        await uow.audit.record("api_key.used", now=now, actor_kind="api_key", actor_id=str(key_id))
    access = await ctx.access_token(
        subject=str(key_id), organization_id=row["organization_id"], role=row["role"], kind="api_key"
    )
    return MachineToken(
        access_token=access,
        expires_in=ctx.settings.access_token_ttl_seconds,
        organization_id=row["organization_id"],
        role=row["role"],
    )


async def _creator_is_an_active_owner(uow: IdentityWork, created_by: str) -> bool:
    try:
        creator = await uow.organizations.get_member(UUID(created_by))
    except ValueError:
        return False
    return creator is not None and creator["status"] == "active" and creator["role"] == OWNER
