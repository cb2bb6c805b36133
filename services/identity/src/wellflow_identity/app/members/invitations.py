"""What an owner does with an invitation after making it: withdraw it, or send it again with a new token (the
old link dies), and how it goes out (mailed through the mail port, or shown to the owner to pass on)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from wellflow_contracts.events.identity import MemberInvited
from wellflow_servicekit.errors import Conflict, NotFound

from ...domain.invitations import invitation_state
from ...domain.people import normalize_email
from ...domain.secrets import INVITATION_PREFIX, hash_secret, new_secret
from ..access import confirm
from ..context import Caller, Identity
from ..mail import Delivery, console_link, deliver, invitation_mail
from ..ports import IdentityWork, Row


def shaped(ctx: Identity, invitation: Row) -> Row:
    """The invitation as the API reads it: with its state, without its token hash."""
    row: dict[str, Any] = {k: v for k, v in invitation.items() if k != "token_hash"}
    row["state"] = invitation_state(
        accepted_at=invitation["accepted_at"],
        revoked_at=invitation.get("revoked_at"),
        expires_at=invitation["expires_at"],
        now=ctx.clock(),
    )
    return row


def invitation_context(invitation_id: object, send_count: int) -> bytes:
    """What a sealed link is bound to (notifications' delivery key): one invitation, one sending of it."""
    return f"invitation:{invitation_id}:{send_count}".encode()


async def queue_invitation(ctx: Identity, uow: IdentityWork, actor: Caller, invitation: Row, token: str) -> Delivery:
    """Hand the invitation to the notifications service in the transaction that made (or renewed) its token:
    ``MemberInvited`` goes through the outbox, so a crash loses neither the invitation nor its mail. The link
    travels sealed (docs/notifications.md#invitations)."""
    assert ctx.sealer is not None
    organization = await uow.organizations.get(actor.organization_id)
    inviter = await uow.organizations.get_member(actor.user_id) if actor.user_id else None
    send_count = int(invitation.get("send_count") or 1)
    link = console_link(ctx.settings.console_url, "accept", token)
    uow.record(
        MemberInvited(
            tenant_id=actor.organization_id,
            invitation_id=invitation["id"],
            email=invitation["email"],
            role=invitation["role"],
            organization_name=organization["name"] if organization else "your company",
            invited_by_name=inviter["full_name"] if inviter else None,
            expires_at=invitation["expires_at"],
            send_count=send_count,
            sealed_link=ctx.sealer.seal(link, context=invitation_context(invitation["id"], send_count)),
        )
    )
    await uow.invitations.sent(invitation["id"], "queued", ctx.clock())
    return "queued"


async def send_invitation(ctx: Identity, actor: Caller, invitation: Row, token: str) -> Delivery:
    """Mail the invitation (after the transaction that made its token) and note how it went out."""
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        organization = await uow.organizations.get(actor.organization_id)
        inviter = await uow.organizations.get_member(actor.user_id) if actor.user_id else None
    mail = invitation_mail(
        to=invitation["email"],
        organization=organization["name"] if organization else "your company",
        role=invitation["role"],
        link=console_link(ctx.settings.console_url, "accept", token),
        expires_at=invitation["expires_at"],
        invited_by=inviter["full_name"] if inviter else None,
    )
    delivery = await deliver(ctx.mailer, mail)
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        await uow.invitations.sent(invitation["id"], delivery, ctx.clock())
    return delivery


async def revoke_invitation(ctx: Identity, actor: Caller, invitation_id: UUID) -> Row:
    """Withdraw an invitation: its link no longer works. Withdrawing one already withdrawn changes nothing."""
    now = ctx.clock()
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        await confirm(ctx, uow, actor, "members", "write", lock=True)
        invitation = await _invitation(uow, invitation_id)
        if invitation["accepted_at"] is not None:
            raise Conflict("This invitation was accepted; deactivate the member instead.", slug="invitation-used")
        if invitation["revoked_at"] is None:
            await uow.invitations.revoke(invitation_id, now, actor.user_id)
            await uow.audit.record(
                "invitation.revoked",
                now=now,
                actor_kind=actor.kind,
                actor_id=actor.id,
                subject_id=str(invitation_id),
                email=invitation["email"],
            )
        return shaped(ctx, await _invitation(uow, invitation_id))


async def resend_invitation(ctx: Identity, actor: Caller, invitation_id: UUID) -> tuple[Row, str]:
    """The invitation with a new token and a new expiry, sent again; the token it had no longer works."""
    now = ctx.clock()
    token = new_secret(INVITATION_PREFIX)
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        await confirm(ctx, uow, actor, "members", "write", lock=True)
        invitation = await _invitation(uow, invitation_id)
        if invitation["accepted_at"] is not None:
            raise Conflict("This invitation was accepted already.", slug="invitation-used")
        if invitation["revoked_at"] is not None:
            raise Conflict("This invitation was withdrawn; invite the person again.", slug="invitation-revoked")
        await not_yet_a_member(uow, invitation["email"])
        expires_at = now + timedelta(seconds=ctx.settings.invitation_ttl_seconds)
        await uow.invitations.renew(invitation_id, token_hash=hash_secret(token), expires_at=expires_at)
        await uow.audit.record(
            "invitation.resent",
            now=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            subject_id=str(invitation_id),
            email=invitation["email"],
        )
        renewed = await _invitation(uow, invitation_id)
        if ctx.sealer is not None:
            await queue_invitation(ctx, uow, actor, renewed, token)
    if ctx.sealer is None:
        await send_invitation(ctx, actor, renewed, token)
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        return shaped(ctx, await _invitation(uow, invitation_id)), token


async def _invitation(uow: IdentityWork, invitation_id: UUID) -> Row:
    invitation = await uow.invitations.get(invitation_id, lock=True)
    if invitation is None:
        raise NotFound("No invitation with this id in your organization.")
    return invitation


async def not_yet_a_member(uow: IdentityWork, email: str) -> None:
    existing = await uow.people.find_by_email(normalize_email(email))
    if existing is None:
        return
    member = await uow.organizations.get_member(existing["id"])
    if member is not None and member["status"] == "active":
        raise Conflict(
            "This person is already a member of your organization.",
            slug="already-a-member",
            errors=[{"field": "body.email", "message": "is already a member"}],
        )
