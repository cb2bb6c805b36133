"""Members of an organization: list, change role, deactivate; invitations: create, list, accept.

Role changes and deactivations lock the organization's row first, so two owners demoting each other at
the same moment cannot both succeed and leave the organization without an owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from wellflow_contracts.events.identity import MemberDeactivated, MemberJoined, MemberRoleChanged
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.problems import Conflict, NotFound, Problem, UnprocessableContent

from ..adapters import repositories as repo
from ..domain.errors import LastOwnerError
from ..domain.people import normalize_email, password_problem
from ..domain.roles import OWNER, check_deactivation, check_role, check_role_change
from ..domain.secrets import INVITATION_PREFIX, hash_secret, new_secret
from .context import Actor, Identity
from .sessions import Session, check_password, member_aggregate, start_session


def _last_owner(exc: LastOwnerError) -> Conflict:
    return Conflict(str(exc).capitalize() + ".", slug="last-owner")


def _member_not_found() -> NotFound:
    return NotFound("No member with this id in your organization.")


async def list_members(
    ctx: Identity, actor: Actor, *, role: str | None, status: str | None, limit: int, offset: int
) -> tuple[list[repo.Row], int]:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        rows, total = await repo.list_members(uow.connection, role=role, status=status, limit=limit, offset=offset)
    return list(rows), total


async def get_member(ctx: Identity, actor: Actor, user_id: UUID) -> repo.Row:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        member = await repo.get_member(uow.connection, user_id)
    if member is None:
        raise _member_not_found()
    return member


async def change_role(ctx: Identity, actor: Actor, user_id: UUID, new_role: str) -> repo.Row:
    check_role(new_role)
    now = ctx.clock()
    org = actor.organization_id
    async with ctx.database.unit_of_work(org) as uow:
        conn = uow.connection
        await repo.get_organization(conn, org, lock=True)
        member = await repo.get_member(conn, user_id, lock=True)
        if member is None:
            raise _member_not_found()
        if member["role"] == new_role:
            return member
        is_active_owner = member["role"] == OWNER and member["status"] == "active"
        owners = await repo.count_active_owners(conn)
        try:
            check_role_change(
                is_active_owner=is_active_owner,
                new_role=new_role,
                other_active_owners=owners - (1 if is_active_owner else 0),
            )
        except LastOwnerError as exc:
            raise _last_owner(exc) from None
        await repo.set_member(conn, user_id, now, role=new_role)
        await repo.audit(
            conn,
            org,
            "member.role_changed",
            now=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            subject_id=str(user_id),
            from_role=member["role"],
            to_role=new_role,
        )
        uow.record(
            MemberRoleChanged(
                tenant_id=org, user_id=user_id, from_role=member["role"], to_role=new_role, changed_by=actor.id
            ),
            aggregate_key=member_aggregate(org, user_id),
        )
        updated = await repo.get_member(conn, user_id)
    assert updated is not None
    return updated


async def deactivate(ctx: Identity, actor: Actor, user_id: UUID) -> repo.Row:
    """Take a member's access away: status deactivated, every refresh token of theirs here revoked."""
    now = ctx.clock()
    org = actor.organization_id
    async with ctx.database.unit_of_work(org) as uow:
        conn = uow.connection
        await repo.get_organization(conn, org, lock=True)
        member = await repo.get_member(conn, user_id, lock=True)
        if member is None:
            raise _member_not_found()
        if member["status"] != "active":
            return member
        is_owner = member["role"] == OWNER
        owners = await repo.count_active_owners(conn)
        try:
            check_deactivation(is_active_owner=is_owner, other_active_owners=owners - (1 if is_owner else 0))
        except LastOwnerError as exc:
            raise _last_owner(exc) from None
        await repo.set_member(conn, user_id, now, status="deactivated")
        revoked = await repo.revoke_user_sessions(conn, user_id, now)
        await repo.audit(
            conn,
            org,
            "member.deactivated",
            now=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            subject_id=str(user_id),
            refresh_tokens_revoked=revoked,
        )
        uow.record(
            MemberDeactivated(tenant_id=org, user_id=user_id, role=member["role"], deactivated_by=actor.id),
            aggregate_key=member_aggregate(org, user_id),
        )
        updated = await repo.get_member(conn, user_id)
    assert updated is not None
    return updated


@dataclass(frozen=True)
class NewInvitation:
    invitation: repo.Row
    token: str


async def invite(ctx: Identity, actor: Actor, *, email: str, role: str) -> NewInvitation:
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
        conn = uow.connection
        existing = await repo.find_user_with_credentials(conn, email)
        if existing is not None:
            member = await repo.get_member(conn, existing["id"])
            if member is not None and member["status"] == "active":
                raise Conflict(
                    "This person is already a member of your organization.",
                    slug="already-a-member",
                    errors=[{"field": "body.email", "message": "is already a member"}],
                )
        organization = await repo.get_organization(conn, actor.organization_id)
        await repo.add_invitation(conn, **values)
        await repo.audit(
            conn,
            actor.organization_id,
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


async def list_invitations(ctx: Identity, actor: Actor, *, limit: int, offset: int) -> list[repo.Row]:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        return list(await repo.list_invitations(uow.connection, limit=limit, offset=offset))


async def accept_invitation(ctx: Identity, *, token: str, password: str | None, full_name: str | None) -> Session:
    """Join the inviting organization. A new person sets a password and name; someone who already has an
    account proves it with their password (the token alone must not sign anyone in to an existing account)."""
    token_hash = hash_secret(token)
    async with ctx.database.unit_of_work(None) as uow:
        invitation = await _usable_invitation(uow.connection, token, token_hash, ctx.clock())
        user = await repo.find_user_with_credentials(uow.connection, invitation["email"])
    email = invitation["email"]
    errors = []
    if password is None:
        errors.append({"field": "body.password", "message": "is required to accept an invitation"})
    if user is None and not (full_name or "").strip():
        errors.append({"field": "body.full_name", "message": "is required for a new account"})
    if user is None and password is not None and (problem := password_problem(password, email)):
        errors.append({"field": "body.password", "message": problem})
    if errors:
        raise UnprocessableContent("The invitation cannot be accepted as sent.", slug="validation-error", errors=errors)
    assert password is not None
    if user is not None:
        await check_password(ctx, user, email, password)
        password_hash = None
    else:
        password_hash = await ctx.passwords.hash(password)
    now = ctx.clock()
    org = invitation["organization_id"]
    try:
        async with ctx.database.unit_of_work(org) as uow:
            conn = uow.connection
            if user is None:
                assert password_hash is not None and full_name is not None
                user_id = await repo.add_user(
                    conn, email=email, full_name=full_name.strip(), password_hash=password_hash, now=now
                )
            else:
                user_id = user["id"]
            if not await repo.mark_invitation_accepted(conn, invitation["id"], user_id, now):
                raise Conflict("This invitation has already been used.", slug="invitation-used")
            member = await repo.get_member(conn, user_id, lock=True)
            role = invitation["role"]
            if member is not None and member["status"] == "active":
                raise Conflict("You are already a member of this organization.", slug="already-a-member")
            if member is not None:
                await repo.set_member(conn, user_id, now, status="active", role=role)
            else:
                await repo.add_membership(conn, org, user_id, role, now)
            await repo.audit(
                conn,
                org,
                "invitation.accepted",
                now=now,
                actor_kind="user",
                actor_id=str(user_id),
                subject_id=str(invitation["id"]),
                role=role,
            )
            uow.record(
                MemberJoined(tenant_id=org, user_id=user_id, role=role, invited_by_user_id=invitation["invited_by"]),
                aggregate_key=member_aggregate(org, user_id),
            )
            session = await start_session(ctx, conn, user_id=user_id, organization_id=org, role=role)
    except IntegrityError as exc:
        if "users_email_key" in str(exc.orig):
            raise Conflict(
                "An account with this email was created meanwhile; accept again.", slug="email-taken"
            ) from None
        raise
    return session


async def _usable_invitation(conn: Any, token: str, token_hash: str, now: datetime) -> repo.Row:
    invitation = None
    if token.startswith(INVITATION_PREFIX) and len(token) <= 128:
        invitation = await repo.find_invitation(conn, token_hash)
    if invitation is None:
        raise NotFound(
            "No invitation matches this token.",
            errors=[{"field": "body.token", "message": "is not a valid invitation"}],
        )
    await repo.use_tenant(conn, invitation["organization_id"])
    if invitation["accepted_at"] is not None:
        raise Conflict("This invitation has already been used.", slug="invitation-used")
    if invitation["expires_at"] <= now:
        raise Problem("This invitation has expired; ask for a new one.", status=410, slug="invitation-expired")
    return invitation
