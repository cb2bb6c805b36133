"""Inviting a person to join the organization with a role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ...domain.people import normalize_email
from ...domain.roles import check_role
from ...domain.secrets import INVITATION_PREFIX, hash_secret, new_secret
from ..access import confirm
from ..context import Caller, Identity
from ..ports import IdentityWork, Row


@dataclass(frozen=True)
class NewInvitation:
    invitation: Row
    token: str


async def invite(ctx: Identity, actor: Caller, *, email: str, role: str) -> NewInvitation:
    """A single-use invitation; its token is shown once (and mailed, when a mailer is configured)."""
    check_role(role)
    email = normalize_email(email)
    now = ctx.clock()
    token = new_secret(INVITATION_PREFIX)
    values: dict[str, Any] = {
        "id": uuid7(),
        "organization_id": actor.organization_id,
        "email": email,
        "role": role,
        "token_hash": hash_secret(token),
        "invited_by": actor.user_id,
        "created_at": now,
        "expires_at": now + timedelta(seconds=ctx.settings.invitation_ttl_seconds),
        "accepted_at": None,
        "accepted_user_id": None,
    }
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        await confirm(ctx, uow, actor, "members", "write", lock=True)
        await _not_yet_a_member(uow, email)
        organization = await uow.organizations.get(actor.organization_id)
        await uow.invitations.add(**values)
        await uow.audit.record(
            "invitation.created",
            now=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            subject_id=str(values["id"]),
            email=email,
            role=role,
        )
    name = organization["name"] if organization else ""
    await ctx.mailer.send(email=email, organization_name=name, role=role, token=token, expires_at=values["expires_at"])
    return NewInvitation(invitation=values, token=token)


async def _not_yet_a_member(uow: IdentityWork, email: str) -> None:
    existing = await uow.people.find_by_email(email)
    if existing is None:
        return
    member = await uow.organizations.get_member(existing["id"])
    if member is not None and member["status"] == "active":
        raise Conflict(
            "This person is already a member of your organization.",
            slug="already-a-member",
            errors=[{"field": "body.email", "message": "is already a member"}],
        )
