"""API keys: created by an owner signed in as a person (shown once), listed, revoked.

A key lives only while its creator is an active owner: deactivating them or moving them out of owner
revokes it (``members.roles``), and the exchange refuses a key whose creator no longer is one (keys made
before that rule). Revoking a key revokes the access tokens it was exchanged for (``AccessRevoked``).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from wellflow_contracts.events.identity import AccessRevoked
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Forbidden, NotFound

from ..domain.roles import check_role
from ..domain.secrets import new_api_key
from .access import confirm
from .context import Caller, Identity
from .ports import Row


@dataclass(frozen=True)
class NewApiKey:
    api_key: Row
    key: str


async def create_api_key(ctx: Identity, actor: Caller, *, name: str, role: str) -> NewApiKey:
    if actor.kind != "user":
        raise Forbidden("An API key cannot create API keys; an owner signed in as a person must.")
    check_role(role)
    key_id = uuid7()
    key, secret_hash = new_api_key(key_id)
    now = ctx.clock()
    values = {
        "id": key_id,
        "organization_id": actor.organization_id,
        "name": name,
        "role": role,
        "secret_hash": secret_hash,
        "created_by": actor.id,
        "created_at": now,
    }
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        await confirm(ctx, uow, actor, "api_keys", "write", lock=True)
        await uow.api_keys.add(**values)
        await uow.audit.record(
            "api_key.created", now=now, actor_kind=actor.kind, actor_id=actor.id, subject_id=str(key_id), role=role
        )
    return NewApiKey(api_key={**values, "last_used_at": None, "revoked_at": None}, key=key)


async def list_api_keys(ctx: Identity, actor: Caller) -> list[Row]:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        return await uow.api_keys.list_newest()


async def revoke_api_key(ctx: Identity, actor: Caller, key_id: UUID) -> Row:
    now = ctx.clock()
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        await confirm(ctx, uow, actor, "api_keys", "write", lock=True)
        before = await uow.api_keys.find(key_id)  # found whatever its tenant: compare
        if before is None or before["organization_id"] != actor.organization_id:
            raise NotFound("No API key with this id in your organization.")
        row = await uow.api_keys.revoke(key_id, now)
        assert row is not None
        if before["revoked_at"] is None:
            await uow.audit.record(
                "api_key.revoked", now=now, actor_kind=actor.kind, actor_id=actor.id, subject_id=str(key_id)
            )
            uow.record(
                AccessRevoked(
                    tenant_id=actor.organization_id, subjects=[str(key_id)], reason="api_key_revoked", revoked_at=now
                ),
                aggregate_key=f"identity.api_key:{actor.organization_id}:{key_id}",
            )
    return row
