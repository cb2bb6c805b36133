"""A signed-in session: the tokens handed out, and how a new one starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Unauthorized

from ...domain.secrets import REFRESH_PREFIX, hash_secret, new_secret
from ..context import Identity
from ..ports import IdentityWork, Row

WRONG_CREDENTIALS = "The email or password is wrong."


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


def member_aggregate(organization_id: UUID, user_id: UUID) -> str:
    """Outbox ordering key shared by all events about one member of one organization."""
    return f"identity.member:{organization_id}:{user_id}"


def bad_credentials(detail: str = WRONG_CREDENTIALS, **kwargs: Any) -> Unauthorized:
    return Unauthorized(detail, error=None, slug="invalid-credentials", **kwargs)


def organization_choices(memberships: list[Row]) -> list[dict[str, Any]]:
    """The organizations a person may switch to, as a session lists them."""
    return [{"organization_id": m["organization_id"], "name": m["name"], "role": m["role"]} for m in memberships]


async def start_session(
    ctx: Identity,
    uow: IdentityWork,
    *,
    user_id: UUID,
    organization_id: UUID,
    role: str,
    family_id: UUID | None = None,
    session_started_at: datetime | None = None,
) -> Session:
    """A new refresh token (in ``family_id``, or a new family) and an access token; the tenant must be set.

    The refresh token expires REFRESH_TOKEN_TTL_SECONDS from now, but never later than SESSION_LIFETIME_SECONDS
    after the sign-in that began its family (``session_started_at``): refreshing cannot keep a session forever."""
    now = ctx.clock()
    started = session_started_at or now
    refresh = new_secret(REFRESH_PREFIX)
    await uow.refresh_tokens.add(
        organization_id=organization_id,
        user_id=user_id,
        family_id=family_id or uuid7(),
        token_hash=hash_secret(refresh),
        issued_at=now,
        session_started_at=started,
        expires_at=min(
            now + timedelta(seconds=ctx.settings.refresh_token_ttl_seconds),
            started + timedelta(seconds=ctx.settings.session_lifetime_seconds),
        ),
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
