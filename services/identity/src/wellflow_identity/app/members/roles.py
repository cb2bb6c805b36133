"""Changing a member's role and deactivating a member, under the last-owner rule.

Both lock the organization's row first, so two owners demoting each other at the same moment cannot
both succeed and leave the organization without an owner; then the acting member's own row, confirming
they still may (``access.confirm``).

Either change revokes the member's access tokens everywhere (``AccessRevoked``: every service refuses the
tokens issued before it; the member's next refresh carries the new role, or is refused when deactivated).
An API key lives only while its creator is an active owner (only owners may hold them): deactivating a
member, or moving them out of owner, revokes every key they created, and their tokens with them.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from wellflow_contracts.events.identity import AccessRevoked, MemberDeactivated, MemberRoleChanged
from wellflow_servicekit.errors import Conflict

from ...domain.errors import LastOwnerError
from ...domain.roles import OWNER, check_deactivation, check_role, check_role_change
from ..access import confirm
from ..context import Caller, Identity
from ..ports import IdentityWork, Row
from ..sessions.session import member_aggregate
from .queries import member_not_found


async def change_role(ctx: Identity, actor: Caller, user_id: UUID, new_role: str) -> Row:
    check_role(new_role)
    now = ctx.clock()
    org = actor.organization_id
    async with ctx.database.unit_of_work(org) as uow:
        member, other_owners = await _locked_member(uow, org, user_id)
        await confirm(ctx, uow, actor, "members", "write", lock=True)
        if member["role"] == new_role:
            return member
        is_owner = member["role"] == OWNER and member["status"] == "active"
        try:
            check_role_change(is_active_owner=is_owner, new_role=new_role, other_active_owners=other_owners)
        except LastOwnerError as exc:
            raise _last_owner(exc) from None
        await uow.organizations.set_member(user_id, now, role=new_role)
        keys = await uow.api_keys.revoke_created_by(str(user_id), now) if new_role != OWNER else []
        await uow.audit.record(
            "member.role_changed",
            now=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            subject_id=str(user_id),
            from_role=member["role"],
            to_role=new_role,
            api_keys_revoked=len(keys),
        )
        _revoke_tokens(uow, org, user_id, keys, "member_role_changed", now)
        uow.record(
            MemberRoleChanged(
                tenant_id=org, user_id=user_id, from_role=member["role"], to_role=new_role, changed_by=actor.id
            ),
            aggregate_key=member_aggregate(org, user_id),
        )
        return await _member(uow, user_id)


async def deactivate(ctx: Identity, actor: Caller, user_id: UUID) -> Row:
    """Take a member's access away: status deactivated, every refresh token of theirs here revoked."""
    now = ctx.clock()
    org = actor.organization_id
    async with ctx.database.unit_of_work(org) as uow:
        member, other_owners = await _locked_member(uow, org, user_id)
        await confirm(ctx, uow, actor, "members", "write", lock=True)
        if member["status"] != "active":
            return member
        try:
            check_deactivation(is_active_owner=member["role"] == OWNER, other_active_owners=other_owners)
        except LastOwnerError as exc:
            raise _last_owner(exc) from None
        await uow.organizations.set_member(user_id, now, status="deactivated")
        revoked = await uow.refresh_tokens.revoke_sessions_of(user_id, now)
        keys = await uow.api_keys.revoke_created_by(str(user_id), now)
        await uow.audit.record(
            "member.deactivated",
            now=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            subject_id=str(user_id),
            refresh_tokens_revoked=revoked,
            api_keys_revoked=len(keys),
        )
        _revoke_tokens(uow, org, user_id, keys, "member_deactivated", now)
        uow.record(
            MemberDeactivated(tenant_id=org, user_id=user_id, role=member["role"], deactivated_by=actor.id),
            aggregate_key=member_aggregate(org, user_id),
        )
        return await _member(uow, user_id)


def _revoke_tokens(uow: IdentityWork, org: UUID, user_id: UUID, keys: list[UUID], reason: str, now: datetime) -> None:
    subjects = [str(user_id), *(str(key) for key in keys)]
    uow.record(
        AccessRevoked(tenant_id=org, subjects=subjects, reason=reason, revoked_at=now, user_id=user_id),
        aggregate_key=member_aggregate(org, user_id),
    )


async def _locked_member(uow: IdentityWork, organization_id: UUID, user_id: UUID) -> tuple[Row, int]:
    """The member, locked with their organization, and how many other active owners it has."""
    await uow.organizations.get(organization_id, lock=True)
    member = await uow.organizations.get_member(user_id, lock=True)
    if member is None:
        raise member_not_found()
    owners = await uow.organizations.count_active_owners()
    is_active_owner = member["role"] == OWNER and member["status"] == "active"
    return member, owners - (1 if is_active_owner else 0)


async def _member(uow: IdentityWork, user_id: UUID) -> Row:
    member = await uow.organizations.get_member(user_id)
    assert member is not None
    return member


def _last_owner(exc: LastOwnerError) -> Conflict:
    return Conflict(str(exc).capitalize() + ".", slug="last-owner")
