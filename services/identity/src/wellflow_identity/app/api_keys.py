"""API keys: created by a person (shown once), listed, revoked."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Forbidden, NotFound

from ..domain.roles import check_role
from ..domain.secrets import new_api_key
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
        row = await uow.api_keys.revoke(key_id, now)
        if row is None:
            raise NotFound("No API key with this id in your organization.")
        await uow.audit.record(
            "api_key.revoked", now=now, actor_kind=actor.kind, actor_id=actor.id, subject_id=str(key_id)
        )
    return row
