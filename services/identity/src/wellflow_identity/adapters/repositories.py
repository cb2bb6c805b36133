"""All of identity's SQL, as small functions over a unit of work's connection (SQLAlchemy Core).

Tenant rows are confined by row-level security: the unit of work sets the tenant, or ``use_tenant`` does
once a row found through one of the narrow lookup policies (see ``tables``) has told which tenant it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import case, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import TENANT_SETTING

from .tables import (
    account_events,
    api_keys,
    audit_log,
    credentials,
    invitations,
    memberships,
    organizations,
    refresh_tokens,
    users,
)

Row = Mapping[str, Any]
_SET = text("SELECT set_config(:name, :value, true)")


async def _set(conn: AsyncConnection, name: str, value: str) -> None:
    await conn.execute(_SET, {"name": name, "value": value})


async def use_tenant(conn: AsyncConnection, organization_id: UUID) -> None:
    """Confine the rest of this transaction to ``organization_id`` (transaction-local, like the unit of work)."""
    await _set(conn, TENANT_SETTING, str(organization_id))


async def act_as_user(conn: AsyncConnection, user_id: UUID) -> None:
    """Open the memberships and organizations of this (already authenticated) person to this transaction."""
    await _set(conn, "app.current_user_id", str(user_id))


# --- people -------------------------------------------------------------------------------------------


async def find_user_with_credentials(conn: AsyncConnection, email: str) -> Row | None:
    query = (
        select(
            users.c.id,
            users.c.email,
            users.c.full_name,
            credentials.c.password_hash,
            credentials.c.failed_attempts,
            credentials.c.last_failed_at,
        )
        .join(credentials, credentials.c.user_id == users.c.id)
        .where(users.c.email == email)
    )
    return (await conn.execute(query)).mappings().first()


async def get_user(conn: AsyncConnection, user_id: UUID) -> Row | None:
    return (await conn.execute(select(users).where(users.c.id == user_id))).mappings().first()


async def email_taken(conn: AsyncConnection, email: str) -> bool:
    return (await conn.execute(select(users.c.id).where(users.c.email == email))).first() is not None


async def add_user(conn: AsyncConnection, *, email: str, full_name: str, password_hash: str, now: datetime) -> UUID:
    user_id = uuid7()
    await conn.execute(insert(users).values(id=user_id, email=email, full_name=full_name, created_at=now))
    await conn.execute(
        insert(credentials).values(user_id=user_id, password_hash=password_hash, failed_attempts=0, updated_at=now)
    )
    return user_id


async def record_failure(conn: AsyncConnection, user_id: UUID, *, now: datetime, forget_before: datetime) -> int:
    """Count one more failed sign-in, atomically; failures before ``forget_before`` no longer count."""
    result = await conn.execute(
        update(credentials)
        .where(credentials.c.user_id == user_id)
        .values(
            failed_attempts=case(
                (
                    or_(credentials.c.last_failed_at.is_(None), credentials.c.last_failed_at < forget_before),
                    1,
                ),
                else_=credentials.c.failed_attempts + 1,
            ),
            last_failed_at=now,
            updated_at=now,
        )
        .returning(credentials.c.failed_attempts)
    )
    return int(result.scalar_one())


async def reset_failures(conn: AsyncConnection, user_id: UUID, now: datetime) -> None:
    await conn.execute(
        update(credentials)
        .where(credentials.c.user_id == user_id, credentials.c.failed_attempts > 0)
        .values(failed_attempts=0, last_failed_at=None, updated_at=now)
    )


async def account_event(
    conn: AsyncConnection, action: str, *, now: datetime, user_id: UUID | None, email: str | None, **details: Any
) -> None:
    await conn.execute(
        insert(account_events).values(
            id=uuid7(), occurred_at=now, user_id=user_id, email=email, action=action, details=details
        )
    )


# --- organizations and memberships ----------------------------------------------------------------------


async def add_organization(conn: AsyncConnection, organization_id: UUID, now: datetime, **fields: Any) -> None:
    await conn.execute(
        insert(organizations).values(organization_id=organization_id, created_at=now, updated_at=now, **fields)
    )


async def get_organization(conn: AsyncConnection, organization_id: UUID, *, lock: bool = False) -> Row | None:
    query = select(organizations).where(organizations.c.organization_id == organization_id)
    if lock:
        query = query.with_for_update()
    return (await conn.execute(query)).mappings().first()


async def update_organization(conn: AsyncConnection, organization_id: UUID, now: datetime, **fields: Any) -> None:
    await conn.execute(
        update(organizations).where(organizations.c.organization_id == organization_id).values(updated_at=now, **fields)
    )


async def add_membership(conn: AsyncConnection, organization_id: UUID, user_id: UUID, role: str, now: datetime) -> None:
    await conn.execute(
        insert(memberships).values(
            organization_id=organization_id, user_id=user_id, role=role, status="active", joined_at=now, updated_at=now
        )
    )


async def memberships_of_user(conn: AsyncConnection, user_id: UUID, *, active_only: bool = True) -> Sequence[Row]:
    """Every organization this person belongs to (needs ``act_as_user``), oldest membership first."""
    query = (
        select(memberships.c.organization_id, memberships.c.role, memberships.c.status, organizations.c.name)
        .join(organizations, organizations.c.organization_id == memberships.c.organization_id)
        .where(memberships.c.user_id == user_id)
        .order_by(memberships.c.joined_at, memberships.c.organization_id)
    )
    if active_only:
        query = query.where(memberships.c.status == "active")
    return (await conn.execute(query)).mappings().all()


_MEMBER_COLUMNS = (
    memberships.c.user_id,
    users.c.email,
    users.c.full_name,
    memberships.c.role,
    memberships.c.status,
    memberships.c.joined_at,
)


async def get_member(conn: AsyncConnection, user_id: UUID, *, lock: bool = False) -> Row | None:
    query = (
        select(*_MEMBER_COLUMNS)
        .join(users, users.c.id == memberships.c.user_id)
        .where(memberships.c.user_id == user_id)
    )
    if lock:
        query = query.with_for_update(of=memberships)
    return (await conn.execute(query)).mappings().first()


async def list_members(
    conn: AsyncConnection, *, role: str | None, status: str | None, limit: int, offset: int
) -> tuple[Sequence[Row], int]:
    conditions = []
    if role is not None:
        conditions.append(memberships.c.role == role)
    if status is not None:
        conditions.append(memberships.c.status == status)
    query = (
        select(*_MEMBER_COLUMNS)
        .join(users, users.c.id == memberships.c.user_id)
        .where(*conditions)
        .order_by(memberships.c.joined_at, memberships.c.user_id)
        .limit(limit)
        .offset(offset)
    )
    rows = (await conn.execute(query)).mappings().all()
    total = (await conn.execute(select(func.count()).select_from(memberships).where(*conditions))).scalar_one()
    return rows, int(total)


async def count_active_owners(conn: AsyncConnection) -> int:
    query = select(func.count()).where(memberships.c.role == "owner", memberships.c.status == "active")
    return int((await conn.execute(query)).scalar_one())


async def set_member(conn: AsyncConnection, user_id: UUID, now: datetime, **values: Any) -> None:
    await conn.execute(update(memberships).where(memberships.c.user_id == user_id).values(updated_at=now, **values))


# --- refresh tokens -------------------------------------------------------------------------------------


async def add_refresh_token(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(insert(refresh_tokens).values(id=uuid7(), **values))


async def find_refresh_token(conn: AsyncConnection, token_hash: str) -> Row | None:
    await _set(conn, "app.lookup_token_hash", token_hash)
    query = select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
    return (await conn.execute(query)).mappings().first()


async def mark_refresh_token_used(conn: AsyncConnection, token_id: UUID, now: datetime) -> bool:
    """Claim the token for one rotation; False when someone already used it (a replay)."""
    result = await conn.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.id == token_id, refresh_tokens.c.used_at.is_(None))
        .values(used_at=now)
        .returning(refresh_tokens.c.id)
    )
    return result.first() is not None


async def revoke_family(conn: AsyncConnection, family_id: UUID, now: datetime) -> int:
    result = await conn.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount


async def revoke_user_sessions(conn: AsyncConnection, user_id: UUID, now: datetime) -> int:
    result = await conn.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount


# --- invitations ----------------------------------------------------------------------------------------


async def add_invitation(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(insert(invitations).values(**values))


async def list_invitations(conn: AsyncConnection, *, limit: int, offset: int) -> Sequence[Row]:
    query = select(invitations).order_by(invitations.c.created_at.desc(), invitations.c.id).limit(limit).offset(offset)
    return (await conn.execute(query)).mappings().all()


async def find_invitation(conn: AsyncConnection, token_hash: str) -> Row | None:
    await _set(conn, "app.lookup_token_hash", token_hash)
    query = select(invitations).where(invitations.c.token_hash == token_hash)
    return (await conn.execute(query)).mappings().first()


async def mark_invitation_accepted(conn: AsyncConnection, invitation_id: UUID, user_id: UUID, now: datetime) -> bool:
    result = await conn.execute(
        update(invitations)
        .where(invitations.c.id == invitation_id, invitations.c.accepted_at.is_(None))
        .values(accepted_at=now, accepted_user_id=user_id)
        .returning(invitations.c.id)
    )
    return result.first() is not None


# --- API keys -------------------------------------------------------------------------------------------


async def add_api_key(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(insert(api_keys).values(**values))


_API_KEY_COLUMNS = (
    api_keys.c.id,
    api_keys.c.name,
    api_keys.c.role,
    api_keys.c.created_by,
    api_keys.c.created_at,
    api_keys.c.last_used_at,
    api_keys.c.revoked_at,
)


async def list_api_keys(conn: AsyncConnection) -> Sequence[Row]:
    query = select(*_API_KEY_COLUMNS).order_by(api_keys.c.created_at.desc(), api_keys.c.id)
    return (await conn.execute(query)).mappings().all()


async def find_api_key(conn: AsyncConnection, key_id: UUID) -> Row | None:
    await _set(conn, "app.lookup_api_key_id", str(key_id))
    return (await conn.execute(select(api_keys).where(api_keys.c.id == key_id))).mappings().first()


async def touch_api_key(conn: AsyncConnection, key_id: UUID, now: datetime) -> None:
    await conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=now))


async def revoke_api_key(conn: AsyncConnection, key_id: UUID, now: datetime) -> Row | None:
    """The key's row after revoking it (idempotent), or None when this tenant has no such key."""
    await conn.execute(
        update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None)).values(revoked_at=now)
    )
    return (await conn.execute(select(*_API_KEY_COLUMNS).where(api_keys.c.id == key_id))).mappings().first()


# --- audit ----------------------------------------------------------------------------------------------


async def audit(
    conn: AsyncConnection,
    organization_id: UUID,
    action: str,
    *,
    now: datetime,
    actor_kind: str,
    actor_id: str | None,
    subject_id: str | None = None,
    **details: Any,
) -> None:
    await conn.execute(
        insert(audit_log).values(
            id=uuid7(),
            organization_id=organization_id,
            occurred_at=now,
            actor_kind=actor_kind,
            actor_id=actor_id,
            action=action,
            subject_id=subject_id,
            details=details,
        )
    )


async def list_audit(conn: AsyncConnection, *, action: str | None, limit: int, offset: int) -> Sequence[Row]:
    query = select(audit_log).order_by(audit_log.c.occurred_at.desc(), audit_log.c.id.desc())
    if action is not None:
        query = query.where(audit_log.c.action == action)
    return (await conn.execute(query.limit(limit).offset(offset))).mappings().all()
