"""Inviting a person to join the organization with a role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from wellflow_contracts.ids import uuid7

from ...domain.people import normalize_email
from ...domain.roles import check_role
from ...domain.secrets import INVITATION_PREFIX, hash_secret, new_secret
from ..access import confirm
from ..context import Caller, Identity
from ..mail import Delivery
from .invitations import not_yet_a_member, queue_invitation, send_invitation, shaped


@dataclass(frozen=True)
class NewInvitation:
    invitation: dict[str, Any]
    token: str
    delivery: Delivery


async def invite(ctx: Identity, actor: Caller, *, email: str, role: str) -> NewInvitation:
    """A single-use invitation: handed to the notifications service when identity seals links for it, else
    mailed when a mail server is configured, else its token is for the owner to pass on (``delivery`` says which)."""
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
        await not_yet_a_member(uow, email)
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
        queued = await queue_invitation(ctx, uow, actor, values, token) if ctx.sealer is not None else None
    delivery = queued or await send_invitation(ctx, actor, values, token)
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        stored = await uow.invitations.get(values["id"])
    return NewInvitation(invitation=shaped(ctx, stored or values), token=token, delivery=delivery)
