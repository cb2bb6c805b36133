"""Refreshing a session (rotating its refresh token) and signing out (revoking the token's family)."""

from __future__ import annotations

from datetime import datetime

from ...domain.secrets import REFRESH_PREFIX, hash_secret
from ..context import Identity
from ..ports import IdentityWork, Row
from .session import Session, bad_credentials, start_session

REUSED = "This refresh token was already used; every session of that sign-in is revoked. Sign in again."
INACTIVE = "Your membership of this organization is no longer active."


async def refresh(ctx: Identity, token: str) -> Session:
    """Rotate a refresh token. A token presented twice means it leaked: its whole family is revoked.

    The revocation commits before the 401 is raised, so it holds whatever the client does next."""
    now = ctx.clock()
    refused: str | None = None
    async with ctx.database.unit_of_work(None) as uow:
        row = await _live_refresh_token(uow, token, now)
        await uow.use_tenant(row["organization_id"])
        member = None
        if not await uow.refresh_tokens.mark_used(row["id"], now):
            await uow.refresh_tokens.revoke_family(row["family_id"], now)
            await uow.audit.record(
                "refresh_token.reused",
                now=now,
                actor_kind="user",
                actor_id=str(row["user_id"]),
                subject_id=str(row["family_id"]),
            )
            refused = REUSED
        elif (member := await uow.organizations.get_member(row["user_id"])) is None or member["status"] != "active":
            await uow.refresh_tokens.revoke_family(row["family_id"], now)
            refused = INACTIVE
        else:
            session = await start_session(
                ctx,
                uow,
                user_id=row["user_id"],
                organization_id=row["organization_id"],
                role=member["role"],
                family_id=row["family_id"],
                session_started_at=row.get("session_started_at") or row["issued_at"],
            )
    if refused is not None:
        raise bad_credentials(refused)
    return session


async def _live_refresh_token(uow: IdentityWork, token: str, now: datetime) -> Row:
    if not token.startswith(REFRESH_PREFIX) or len(token) > 128:
        raise bad_credentials("The refresh token is not valid.")
    row = await uow.refresh_tokens.find_by_hash(hash_secret(token))
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
        row = await uow.refresh_tokens.find_by_hash(hash_secret(token))
        if row is None:
            return
        await uow.use_tenant(row["organization_id"])
        if await uow.refresh_tokens.revoke_family(row["family_id"], now):
            await uow.audit.record("sign_out", now=now, actor_kind="user", actor_id=str(row["user_id"]))
