"""What every use case needs, built once by ``bootstrap``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import Database

from ..adapters.keys import SigningKeyStore
from ..adapters.passwords import Argon2Passwords
from ..domain.lockout import LockoutPolicy
from ..settings import IdentitySettings

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class InvitationMailer(Protocol):
    """Delivers an invitation. Mail delivery is out of scope for now: the API also returns the token."""

    async def send(
        self, *, email: str, organization_name: str, role: str, token: str, expires_at: datetime
    ) -> None: ...


class LoggingInvitationMailer:
    """The default mailer: logs that an invitation was made (never the token itself)."""

    async def send(self, *, email: str, organization_name: str, role: str, token: str, expires_at: datetime) -> None:
        log.info(
            "invitation for %s to join %s as %s (expires %s); no mailer configured",
            email,
            organization_name,
            role,
            expires_at,
        )


@dataclass(frozen=True)
class Actor:
    """Who performs an action on a tenant: a member (kind ``user``) or an API key."""

    kind: str
    id: str
    organization_id: UUID
    role: str

    @property
    def user_id(self) -> UUID | None:
        return UUID(self.id) if self.kind == "user" else None


@dataclass
class Identity:
    database: Database
    keys: SigningKeyStore
    passwords: Argon2Passwords
    settings: IdentitySettings
    clock: Callable[[], datetime] = utcnow
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    mailer: InvitationMailer = field(default_factory=LoggingInvitationMailer)
    on_sign_in: Callable[[str], None] = lambda outcome: None
    """Told each password check's outcome: succeeded, failed, throttled (bootstrap counts them in /metrics)."""

    async def access_token(self, *, subject: str, organization_id: UUID, role: str, kind: str) -> str:
        now = self.clock()
        claims: dict[str, Any] = {
            "iss": self.settings.jwt_issuer,
            "aud": self.settings.jwt_audience,
            "sub": subject,
            "org": str(organization_id),
            "role": role,
            "kind": kind,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=self.settings.access_token_ttl_seconds)).timestamp()),
            "jti": str(uuid7()),
        }
        return await self.keys.sign(claims)
