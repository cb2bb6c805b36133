"""The current organization, the caller's own profile, API keys and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.permissions import grants
from wellflow_servicekit.problems import Forbidden, NotFound

from ..adapters import repositories as repo
from ..domain.roles import check_role
from ..domain.secrets import new_api_key
from .context import Actor, Identity


async def get_organization(ctx: Identity, actor: Actor) -> repo.Row:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        row = await repo.get_organization(uow.connection, actor.organization_id)
    if row is None:
        raise NotFound("Your organization no longer exists.")
    return row


async def update_organization(ctx: Identity, actor: Actor, changes: dict[str, Any]) -> repo.Row:
    now = ctx.clock()
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        conn = uow.connection
        if changes:
            await repo.update_organization(conn, actor.organization_id, now, **changes)
            await repo.audit(
                conn,
                actor.organization_id,
                "organization.updated",
                now=now,
                actor_kind=actor.kind,
                actor_id=actor.id,
                fields=sorted(changes),
            )
        row = await repo.get_organization(conn, actor.organization_id)
    if row is None:
        raise NotFound("Your organization no longer exists.")
    return row


async def me(ctx: Identity, actor: Actor) -> dict[str, Any]:
    """Who the token speaks for: the person and all their organizations, or the API key."""
    profile: dict[str, Any] = {
        "kind": actor.kind,
        "organization_id": actor.organization_id,
        "role": actor.role,
        "permissions": grants(actor.role),
    }
    if actor.user_id is None:
        return {**profile, "api_key_id": actor.id}
    async with ctx.database.unit_of_work(None) as uow:
        user = await repo.get_user(uow.connection, actor.user_id)
        await repo.act_as_user(uow.connection, actor.user_id)
        memberships = await repo.memberships_of_user(uow.connection, actor.user_id)
    if user is None:
        raise NotFound("Your account no longer exists.")
    return {
        **profile,
        "user_id": user["id"],
        "email": user["email"],
        "full_name": user["full_name"],
        "organizations": [
            {"organization_id": m["organization_id"], "name": m["name"], "role": m["role"]} for m in memberships
        ],
    }


@dataclass(frozen=True)
class NewApiKey:
    api_key: repo.Row
    key: str


async def create_api_key(ctx: Identity, actor: Actor, *, name: str, role: str) -> NewApiKey:
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
        await repo.add_api_key(uow.connection, **values)
        await repo.audit(
            uow.connection,
            actor.organization_id,
            "api_key.created",
            now=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            subject_id=str(key_id),
            role=role,
        )
    return NewApiKey(api_key={**values, "last_used_at": None, "revoked_at": None}, key=key)


async def list_api_keys(ctx: Identity, actor: Actor) -> list[repo.Row]:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        return list(await repo.list_api_keys(uow.connection))


async def revoke_api_key(ctx: Identity, actor: Actor, key_id: UUID) -> repo.Row:
    now = ctx.clock()
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        row = await repo.revoke_api_key(uow.connection, key_id, now)
        if row is None:
            raise NotFound("No API key with this id in your organization.")
        await repo.audit(
            uow.connection,
            actor.organization_id,
            "api_key.revoked",
            now=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            subject_id=str(key_id),
        )
    return row


async def audit_trail(ctx: Identity, actor: Actor, *, action: str | None, limit: int, offset: int) -> list[repo.Row]:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        return list(await repo.list_audit(uow.connection, action=action, limit=limit, offset=offset))
