"""Signing up: a new operator company and its first user, its owner."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wellflow_contracts.events.identity import MemberJoined, OrganizationCreated
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ...domain.errors import EmailTaken
from ...domain.people import normalize_email
from ..context import Identity
from ..profile import profile_event
from .session import Session, member_aggregate, start_session


async def sign_up(ctx: Identity, *, organization: dict[str, Any], email: str, password: str, full_name: str) -> Session:
    """One transaction, two events: the organization was created, its owner joined."""
    email = normalize_email(email)
    async with ctx.database.unit_of_work(None) as uow:
        if await uow.people.email_taken(email):
            raise _email_taken()
    password_hash = await ctx.passwords.hash(password)
    organization_id = uuid7()
    now = ctx.clock()
    try:
        async with ctx.database.unit_of_work(organization_id) as uow:
            user_id = await uow.people.add(email=email, full_name=full_name, password_hash=password_hash, now=now)
            await uow.organizations.add(organization_id, now, **organization, profile_published_at=now)
            await uow.organizations.add_member(organization_id, user_id, "owner", now)
            session = await start_session(ctx, uow, user_id=user_id, organization_id=organization_id, role="owner")
            await uow.audit.record("organization.created", now=now, actor_kind="user", actor_id=str(user_id))
            uow.record(
                OrganizationCreated(
                    tenant_id=organization_id,
                    organization_id=organization_id,
                    name=organization["name"],
                    rrc_operator_number=organization.get("rrc_operator_number"),
                    created_by_user_id=user_id,
                )
            )
            created = await uow.organizations.get(organization_id)
            if created is not None:  # the profile as it starts (version 1), for the services that print it
                uow.record(profile_event(created, str(user_id)))
            uow.record(
                MemberJoined(
                    tenant_id=organization_id, user_id=user_id, role="owner", email=email, full_name=full_name
                ),
                aggregate_key=member_aggregate(organization_id, user_id),
            )
    except EmailTaken:  # the same email signed up concurrently
        raise _email_taken() from None
    choice = {"organization_id": organization_id, "name": organization["name"], "role": "owner"}
    return replace(session, organizations=[choice])


def _email_taken() -> Conflict:
    return Conflict(
        "An account with this email already exists; sign in instead, or ask to be invited.",
        slug="email-taken",
        errors=[{"field": "body.user.email", "message": "is already registered"}],
    )
