"""Accepting an invitation: joining the inviting organization, signed in at once.

A new person sets a password and name; someone who already has an account proves it with their
password (the token alone must not sign anyone in to an existing account).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from wellflow_contracts.events.identity import MemberJoined
from wellflow_servicekit.errors import Conflict, FieldError, NotFound, Problem, UnprocessableContent

from ...domain.errors import EmailTaken
from ...domain.people import password_problem
from ...domain.secrets import INVITATION_PREFIX, hash_secret
from ..context import Identity
from ..ports import IdentityWork, Row
from ..sessions.credentials import check_password
from ..sessions.session import Session, member_aggregate, start_session


async def accept_invitation(
    ctx: Identity, *, token: str, password: str | None, full_name: str | None, address: str = "unknown"
) -> Session:
    async with ctx.database.unit_of_work(None) as uow:
        invitation = await _usable_invitation(uow, token, ctx.clock())
        user = await uow.people.find_by_email(invitation["email"])
    email = invitation["email"]
    _check_acceptance(user, email, password, full_name)
    assert password is not None
    password_hash = None
    if user is not None:
        await check_password(ctx, user, email, password, address)
    else:
        password_hash = await ctx.passwords.hash(password)
    now = ctx.clock()
    try:
        async with ctx.database.unit_of_work(invitation["organization_id"]) as uow:
            if user is None:
                assert password_hash is not None and full_name is not None
                user_id = await uow.people.add(
                    email=email, full_name=full_name.strip(), password_hash=password_hash, now=now
                )
            else:
                user_id = user["id"]
            return await _join(ctx, uow, invitation, user_id, now)
    except EmailTaken:
        raise Conflict("An account with this email was created meanwhile; accept again.", slug="email-taken") from None


def _check_acceptance(user: Row | None, email: str, password: str | None, full_name: str | None) -> None:
    errors: list[FieldError] = []
    if password is None:
        errors.append(FieldError(field="body.password", message="is required to accept an invitation"))
    if user is None and not (full_name or "").strip():
        errors.append(FieldError(field="body.full_name", message="is required for a new account"))
    if user is None and password is not None and (problem := password_problem(password, email)):
        errors.append(FieldError(field="body.password", message=problem))
    if errors:
        raise UnprocessableContent("The invitation cannot be accepted as sent.", slug="validation-error", errors=errors)


async def _join(ctx: Identity, uow: IdentityWork, invitation: Row, user_id: UUID, now: datetime) -> Session:
    """The membership (new, or the deactivated one back), the audit entry, the event and a session."""
    org, role = invitation["organization_id"], invitation["role"]
    if not await uow.invitations.mark_accepted(invitation["id"], user_id, now):
        raise Conflict("This invitation has already been used or was withdrawn.", slug="invitation-used")
    member = await uow.organizations.get_member(user_id, lock=True)
    if member is not None and member["status"] == "active":
        raise Conflict("You are already a member of this organization.", slug="already-a-member")
    if member is not None:
        await uow.organizations.set_member(user_id, now, status="active", role=role)
    else:
        await uow.organizations.add_member(org, user_id, role, now)
    await uow.audit.record(
        "invitation.accepted",
        now=now,
        actor_kind="user",
        actor_id=str(user_id),
        subject_id=str(invitation["id"]),
        role=role,
    )
    joined = await uow.organizations.get_member(user_id)
    uow.record(
        MemberJoined(
            tenant_id=org,
            user_id=user_id,
            role=role,
            invited_by_user_id=invitation["invited_by"],
            email=invitation["email"],
            full_name=joined["full_name"] if joined else None,
        ),
        aggregate_key=member_aggregate(org, user_id),
    )
    return await start_session(ctx, uow, user_id=user_id, organization_id=org, role=role)


async def _usable_invitation(uow: IdentityWork, token: str, now: datetime) -> Row:
    invitation = None
    if token.startswith(INVITATION_PREFIX) and len(token) <= 128:
        invitation = await uow.invitations.find_by_hash(hash_secret(token))
    if invitation is None:
        raise NotFound(
            "No invitation matches this token.",
            errors=[{"field": "body.token", "message": "is not a valid invitation"}],
        )
    await uow.use_tenant(invitation["organization_id"])
    if invitation["accepted_at"] is not None:
        raise Conflict("This invitation has already been used.", slug="invitation-used")
    if invitation.get("revoked_at") is not None:
        raise Problem("This invitation was withdrawn by your company.", status=410, slug="invitation-revoked")
    if invitation["expires_at"] <= now:
        raise Problem("This invitation has expired; ask for a new one.", status=410, slug="invitation-expired")
    return invitation
