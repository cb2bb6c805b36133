"""What every use case needs, built once by ``bootstrap``: the ``Identity`` handle and who acts."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.kernel import Actor, Clock, utcnow

from ..domain.lockout import ResetLimits, SignInLimits
from .mail import LinkSealer, LoggingMailer, Mailer
from .ports import IdentityConfig, IdentityDatabase, Passwords, SigningKeys


@dataclass(frozen=True)
class Caller(Actor):
    """The servicekit ``Actor`` and how it signed in: a member (kind ``user``) or an API key."""

    kind: str = "user"

    @property
    def user_id(self) -> UUID | None:
        return UUID(self.id) if self.kind == "user" else None


@dataclass
class Identity:
    """The use cases' handle: ``database`` makes units of work (``Database(work_type=SqlIdentityWork)``,
    or ``FakeDatabase(FakeIdentityWork)`` in unit tests)."""

    database: IdentityDatabase
    keys: SigningKeys
    passwords: Passwords
    settings: IdentityConfig
    clock: Clock = utcnow
    limits: SignInLimits = field(default_factory=SignInLimits)
    reset_limits: ResetLimits = field(default_factory=ResetLimits)
    mailer: Mailer = field(default_factory=LoggingMailer)
    """Invitations and password links (``app/mail.py``): a mail server, or a log that says nothing was sent."""
    sealer: LinkSealer | None = None
    """Given (INVITATION_SEAL_KEY), invitations go out through the notifications service instead of ``mailer``."""
    permits: Callable[[str, str, str], bool] = lambda role, resource, action: False
    """The permission matrix (``wellflow_servicekit.permissions.allowed``, given by bootstrap): may ``role``
    ``action`` the ``resource``. Denies everything until it is given."""
    on_sign_in: Callable[[str], None] = lambda outcome: None
    """Told each password check's outcome: succeeded, failed, throttled (bootstrap counts them in /metrics)."""

    async def forget_old_failures(self) -> int:
        """Drop sign-in counters whose last failure is past every lock period (a periodic task)."""
        policies = [*self.limits.policies().values(), *self.reset_limits.policies().values()]
        longest = max(policy.lock_seconds for policy in policies)
        async with self.database.unit_of_work(None) as uow:
            return await uow.sign_in_limits.purge(self.clock() - timedelta(seconds=longest))

    async def access_token(self, *, subject: str, organization_id: UUID, role: str, kind: str) -> str:
        now = self.clock()
        claims: dict[str, Any] = {
            "iss": self.settings.jwt_issuer,
            "aud": self.settings.jwt_audience,
            "sub": subject,
            "org": str(organization_id),
            "role": role,
            "kind": kind,
            # to the millisecond, rounded down: a revocation refuses tokens issued up to its instant, not its
            # whole second, and a token issued in the very instant of a revocation never reads as later than it
            "iat": issued_at_millis(now),
            "exp": int((now + timedelta(seconds=self.settings.access_token_ttl_seconds)).timestamp()),
            "jti": str(uuid7()),
        }
        return await self.keys.sign(claims)


def issued_at_millis(now: datetime) -> float:
    """``iat`` for ``now``: epoch seconds with the milliseconds, never rounded up (``round`` would put a token
    issued at 12.3456 after a revocation at that same instant, and the revocation would miss it)."""
    return math.floor(now.timestamp() * 1000) / 1000
