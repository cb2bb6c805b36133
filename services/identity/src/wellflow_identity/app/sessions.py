"""Signing up, signing in, refreshing, switching organization, signing out, exchanging API keys.

Password work (argon2, tens of milliseconds of CPU) runs between transactions, never inside one, so a
sign-in holds a pooled connection only for its two short statements' worth of time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from wellflow_contracts.events.identity import MemberJoined, OrganizationCreated
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.problems import Conflict, NotFound, TooManyRequests, Unauthorized

from ..adapters import repositories as repo
from ..domain.people import normalize_email
from ..domain.secrets import REFRESH_PREFIX, hash_secret, new_secret, parse_api_key, same_hash
from .context import Identity

WRONG_CREDENTIALS = "The email or password is wrong."


def member_aggregate(organization_id: UUID, user_id: UUID) -> str:
    """Outbox ordering key shared by all events about one member of one organization."""
    return f"identity.member:{organization_id}:{user_id}"


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str
    expires_in: int
    organization_id: UUID
    role: str
    user_id: UUID
    organizations: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class MachineToken:
    access_token: str
    expires_in: int
    organization_id: UUID
    role: str


def bad_credentials(detail: str = WRONG_CREDENTIALS, **kwargs: Any) -> Unauthorized:
    return Unauthorized(detail, error=None, slug="invalid-credentials", **kwargs)


async def start_session(
    ctx: Identity,
    conn: AsyncConnection,
    *,
    user_id: UUID,
    organization_id: UUID,
    role: str,
    family_id: UUID | None = None,
) -> Session:
    """A new refresh token (in ``family_id``, or a new family) and an access token; the tenant must be set."""
    now = ctx.clock()
    refresh = new_secret(REFRESH_PREFIX)
    await repo.add_refresh_token(
        conn,
        organization_id=organization_id,
        user_id=user_id,
        family_id=family_id or uuid7(),
        token_hash=hash_secret(refresh),
        issued_at=now,
        expires_at=now + timedelta(seconds=ctx.settings.refresh_token_ttl_seconds),
    )
    access = await ctx.access_token(subject=str(user_id), organization_id=organization_id, role=role, kind="user")
    return Session(
        access_token=access,
        refresh_token=refresh,
        expires_in=ctx.settings.access_token_ttl_seconds,
        organization_id=organization_id,
        role=role,
        user_id=user_id,
    )


async def sign_up(ctx: Identity, *, organization: dict[str, Any], email: str, password: str, full_name: str) -> Session:
    """A new operator company and its first user, its owner: one transaction, two events."""
    email = normalize_email(email)
    async with ctx.database.unit_of_work(None) as uow:
        if await repo.email_taken(uow.connection, email):
            raise _email_taken()
    password_hash = await ctx.passwords.hash(password)
    organization_id = uuid7()
    now = ctx.clock()
    try:
        async with ctx.database.unit_of_work(organization_id) as uow:
            conn = uow.connection
            user_id = await repo.add_user(conn, email=email, full_name=full_name, password_hash=password_hash, now=now)
            await repo.add_organization(conn, organization_id, now, **organization)
            await repo.add_membership(conn, organization_id, user_id, "owner", now)
            session = await start_session(ctx, conn, user_id=user_id, organization_id=organization_id, role="owner")
            await repo.audit(
                conn, organization_id, "organization.created", now=now, actor_kind="user", actor_id=str(user_id)
            )
            uow.record(
                OrganizationCreated(
                    tenant_id=organization_id,
                    organization_id=organization_id,
                    name=organization["name"],
                    rrc_operator_number=organization.get("rrc_operator_number"),
                    created_by_user_id=user_id,
                )
            )
            uow.record(
                MemberJoined(tenant_id=organization_id, user_id=user_id, role="owner"),
                aggregate_key=member_aggregate(organization_id, user_id),
            )
    except IntegrityError as exc:  # the same email signed up concurrently
        if "users_email_key" in str(exc.orig):
            raise _email_taken() from None
        raise
    name = organization["name"]
    return replace(session, organizations=[_org(organization_id, name, "owner")])


def _email_taken() -> Conflict:
    return Conflict(
        "An account with this email already exists; sign in instead, or ask to be invited.",
        slug="email-taken",
        errors=[{"field": "body.user.email", "message": "is already registered"}],
    )


def _org(organization_id: UUID, name: str, role: str) -> dict[str, Any]:
    return {"organization_id": organization_id, "name": name, "role": role}


async def check_password(ctx: Identity, user: repo.Row | None, email: str, password: str) -> None:
    """Raise 429 while the account must wait, 401 when the password is wrong (counting the failure)."""
    now = ctx.clock()
    if user is not None:
        wait = ctx.lockout.retry_after(user["failed_attempts"], user["last_failed_at"], now)
        if wait > 0:
            ctx.on_sign_in("throttled")
            raise TooManyRequests(
                "Too many failed sign-ins for this account; wait before trying again.",
                retry_after=wait,
                slug="sign-in-throttled",
            )
    ok = await ctx.passwords.verify(user["password_hash"] if user is not None else None, password)
    ctx.on_sign_in("succeeded" if ok else "failed")
    if ok:
        return
    now = ctx.clock()
    forget_before = now - timedelta(seconds=ctx.lockout.lock_seconds)
    async with ctx.database.unit_of_work(None) as uow:
        if user is None:
            await repo.account_event(
                uow.connection, "sign_in.failed", now=now, user_id=None, email=email, reason="unknown"
            )
        else:
            failures = await repo.record_failure(uow.connection, user["id"], now=now, forget_before=forget_before)
            await repo.account_event(
                uow.connection, "sign_in.failed", now=now, user_id=user["id"], email=email, failures=failures
            )
            if ctx.lockout.is_locked(failures):
                await repo.account_event(uow.connection, "account.locked", now=now, user_id=user["id"], email=email)
    raise bad_credentials()


async def sign_in(ctx: Identity, *, email: str, password: str, organization_id: UUID | None) -> Session:
    email = normalize_email(email)
    async with ctx.database.unit_of_work(None) as uow:
        user = await repo.find_user_with_credentials(uow.connection, email)
    await check_password(ctx, user, email, password)
    assert user is not None
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        conn = uow.connection
        await repo.reset_failures(conn, user["id"], now)
        await repo.act_as_user(conn, user["id"])
        memberships = await repo.memberships_of_user(conn, user["id"])
        if not memberships:
            raise bad_credentials("This account is not an active member of any organization.")
        chosen = memberships[0]
        if organization_id is not None:
            matching = [m for m in memberships if m["organization_id"] == organization_id]
            if not matching:
                raise NotFound(
                    "You are not a member of that organization.",
                    errors=[{"field": "body.organization_id", "message": "is not one of your organizations"}],
                )
            chosen = matching[0]
        await repo.use_tenant(conn, chosen["organization_id"])
        session = await start_session(
            ctx, conn, user_id=user["id"], organization_id=chosen["organization_id"], role=chosen["role"]
        )
        await repo.audit(
            conn, chosen["organization_id"], "sign_in.succeeded", now=now, actor_kind="user", actor_id=str(user["id"])
        )
    organizations = [_org(m["organization_id"], m["name"], m["role"]) for m in memberships]
    return replace(session, organizations=organizations)


async def refresh(ctx: Identity, token: str) -> Session:
    """Rotate a refresh token. A token presented twice means it leaked: its whole family is revoked."""
    now = ctx.clock()
    outcome: str = "ok"
    async with ctx.database.unit_of_work(None) as uow:
        conn = uow.connection
        row = await _live_refresh_token(conn, token, now)
        await repo.use_tenant(conn, row["organization_id"])
        if not await repo.mark_refresh_token_used(conn, row["id"], now):
            await repo.revoke_family(conn, row["family_id"], now)
            await repo.audit(
                conn,
                row["organization_id"],
                "refresh_token.reused",
                now=now,
                actor_kind="user",
                actor_id=str(row["user_id"]),
                subject_id=str(row["family_id"]),
            )
            outcome = "reused"
        else:
            member = await repo.get_member(conn, row["user_id"])
            if member is None or member["status"] != "active":
                await repo.revoke_family(conn, row["family_id"], now)
                outcome = "inactive"
            else:
                session = await start_session(
                    ctx,
                    conn,
                    user_id=row["user_id"],
                    organization_id=row["organization_id"],
                    role=member["role"],
                    family_id=row["family_id"],
                )
    if outcome == "reused":
        raise bad_credentials(
            "This refresh token was already used; every session of that sign-in is revoked. Sign in again.",
        )
    if outcome == "inactive":
        raise bad_credentials("Your membership of this organization is no longer active.")
    return session


async def _live_refresh_token(conn: AsyncConnection, token: str, now: Any) -> repo.Row:
    if not token.startswith(REFRESH_PREFIX) or len(token) > 128:
        raise bad_credentials("The refresh token is not valid.")
    row = await repo.find_refresh_token(conn, hash_secret(token))
    if row is None:
        raise bad_credentials("The refresh token is not valid.")
    if row["revoked_at"] is not None:
        raise bad_credentials("The refresh token has been revoked; sign in again.")
    if row["expires_at"] <= now:
        raise bad_credentials("The refresh token has expired; sign in again.")
    return row


async def sign_out(ctx: Identity, token: str) -> None:
    """Revoke the token's family. Unknown or already revoked tokens are fine: the result is the same."""
    now = ctx.clock()
    if not token.startswith(REFRESH_PREFIX) or len(token) > 128:
        return
    async with ctx.database.unit_of_work(None) as uow:
        conn = uow.connection
        row = await repo.find_refresh_token(conn, hash_secret(token))
        if row is None:
            return
        await repo.use_tenant(conn, row["organization_id"])
        if await repo.revoke_family(conn, row["family_id"], now):
            await repo.audit(
                conn, row["organization_id"], "sign_out", now=now, actor_kind="user", actor_id=str(row["user_id"])
            )


async def switch_organization(ctx: Identity, *, user_id: UUID, organization_id: UUID) -> Session:
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        conn = uow.connection
        await repo.act_as_user(conn, user_id)
        memberships = await repo.memberships_of_user(conn, user_id)
        matching = [m for m in memberships if m["organization_id"] == organization_id]
        if not matching:
            raise NotFound(
                "You are not an active member of that organization.",
                errors=[{"field": "body.organization_id", "message": "is not one of your organizations"}],
            )
        await repo.use_tenant(conn, organization_id)
        session = await start_session(
            ctx, conn, user_id=user_id, organization_id=organization_id, role=matching[0]["role"]
        )
        await repo.audit(
            conn, organization_id, "organization.switched", now=now, actor_kind="user", actor_id=str(user_id)
        )
    organizations = [_org(m["organization_id"], m["name"], m["role"]) for m in memberships]
    return replace(session, organizations=organizations)


async def exchange_api_key(ctx: Identity, key: str) -> MachineToken:
    """An access token for an API key's organization and role (``kind = api_key``, ``sub`` = key id)."""
    parsed = parse_api_key(key)
    if parsed is None:
        raise Unauthorized("The API key is not valid.")
    key_id, secret = parsed
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        conn = uow.connection
        row = await repo.find_api_key(conn, key_id)
        if row is None or not same_hash(secret, row["secret_hash"]):
            raise Unauthorized("The API key is not valid.")
        if row["revoked_at"] is not None:
            raise Unauthorized("The API key has been revoked.")
        await repo.use_tenant(conn, row["organization_id"])
        await repo.touch_api_key(conn, key_id, now)
        await repo.audit(
            conn, row["organization_id"], "api_key.used", now=now, actor_kind="api_key", actor_id=str(key_id)
        )
    access = await ctx.access_token(
        subject=str(key_id), organization_id=row["organization_id"], role=row["role"], kind="api_key"
    )
    return MachineToken(
        access_token=access,
        expires_in=ctx.settings.access_token_ttl_seconds,
        organization_id=row["organization_id"],
        role=row["role"],
    )
