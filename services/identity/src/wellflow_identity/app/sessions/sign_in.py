"""Signing in with a password, and switching to another of one's organizations."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ...domain.people import normalize_email
from ..context import Identity
from ..ports import Row
from .credentials import check_password
from .session import Session, bad_credentials, organization_choices, start_session


async def sign_in(
    ctx: Identity, *, email: str, password: str, organization_id: UUID | None, address: str = "unknown"
) -> Session:
    """A session in ``organization_id``, or in the person's oldest organization; ``address``: the client's IP."""
    email = normalize_email(email)
    async with ctx.database.unit_of_work(None) as uow:
        user = await uow.people.find_by_email(email)
    await check_password(ctx, user, email, password, address)
    assert user is not None
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        memberships = await uow.organizations.memberships_of(user["id"])
        if not memberships:
            raise bad_credentials("This account is not an active member of any organization.")
        chosen = memberships[0] if organization_id is None else _membership_in(memberships, organization_id)
        if chosen is None:
            raise NotFound(
                "You are not a member of that organization.",
                errors=[{"field": "body.organization_id", "message": "is not one of your organizations"}],
            )
        await uow.use_tenant(chosen["organization_id"])
        session = await start_session(
            ctx, uow, user_id=user["id"], organization_id=chosen["organization_id"], role=chosen["role"]
        )
        await uow.audit.record("sign_in.succeeded", now=now, actor_kind="user", actor_id=str(user["id"]))
    return replace(session, organizations=organization_choices(memberships))


async def switch_organization(ctx: Identity, *, user_id: UUID, organization_id: UUID) -> Session:
    """A new session of the same person in another organization they are an active member of."""
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        memberships = await uow.organizations.memberships_of(user_id)
        chosen = _membership_in(memberships, organization_id)
        if chosen is None:
            raise NotFound(
                "You are not an active member of that organization.",
                errors=[{"field": "body.organization_id", "message": "is not one of your organizations"}],
            )
        await uow.use_tenant(organization_id)
        session = await start_session(ctx, uow, user_id=user_id, organization_id=organization_id, role=chosen["role"])
        await uow.audit.record("organization.switched", now=now, actor_kind="user", actor_id=str(user_id))
    return replace(session, organizations=organization_choices(memberships))


def _membership_in(memberships: list[Row], organization_id: UUID) -> Row | None:
    return next((m for m in memberships if m["organization_id"] == organization_id), None)
