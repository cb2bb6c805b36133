"""What identity's use cases need from the outside, as protocols: the repositories of one unit of work,
the unit of work itself, and the password hasher, token signer and settings the handle is built with.

``adapters`` implement them over PostgreSQL (``SqlIdentityWork``); ``tests/unit/fakes.py`` in memory.
Rows are plain dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol
from uuid import UUID

from wellflow_servicekit.kernel import PageOf, Work

Row = dict[str, Any]


class People(Protocol):
    """People and their credentials; global (a person exists once, in any number of organizations)."""

    async def find_by_email(self, email: str) -> Row | None:
        """id, email, full_name, password_hash, password_changed_at."""

    async def get(self, user_id: UUID) -> Row | None: ...
    async def email_taken(self, email: str) -> bool: ...

    async def add(self, *, email: str, full_name: str, password_hash: str, now: datetime) -> UUID:
        """The new person's id; raises ``domain.errors.EmailTaken`` when the email is registered."""

    async def set_password(self, user_id: UUID, password_hash: str, now: datetime) -> None: ...

    async def record_account_event(
        self, action: str, *, now: datetime, user_id: UUID | None, email: str | None, **details: Any
    ) -> None: ...


class PasswordResets(Protocol):
    """Links to choose a new password (global rows), found by the hash of their token."""

    async def add(self, **values: Any) -> None: ...
    async def find_by_hash(self, token_hash: str) -> Row | None: ...

    async def claim(self, link_id: UUID, now: datetime) -> bool:
        """False when the link was spent already."""

    async def spend_all_of(self, user_id: UUID, now: datetime) -> int: ...


class Organizations(Protocol):
    """Organizations and memberships; a membership is the row of one person in one organization."""

    async def add(self, organization_id: UUID, now: datetime, **fields: Any) -> None: ...
    async def get(self, organization_id: UUID, *, lock: bool = False) -> Row | None: ...
    async def update(self, organization_id: UUID, now: datetime, **fields: Any) -> None: ...
    async def update_profile(self, organization_id: UUID, now: datetime, *, by: str, **fields: Any) -> None:
        """Change profile fields and add one to the profile's version."""

    async def add_member(self, organization_id: UUID, user_id: UUID, role: str, now: datetime) -> None: ...

    async def memberships_of(self, user_id: UUID, *, active_only: bool = True) -> list[Row]:
        """organization_id, role, status, name of every organization of this person, oldest first."""

    async def get_member(self, user_id: UUID, *, lock: bool = False) -> Row | None:
        """user_id, email, full_name, role, status, joined_at, in the unit of work's tenant."""

    async def list_members(self, *, role: str | None, status: str | None, limit: int, offset: int) -> PageOf[Row]: ...
    async def count_active_owners(self) -> int: ...
    async def set_member(self, user_id: UUID, now: datetime, **values: Any) -> None: ...


class RefreshTokens(Protocol):
    async def add(self, **values: Any) -> None: ...
    async def find_by_hash(self, token_hash: str) -> Row | None: ...

    async def mark_used(self, token_id: UUID, now: datetime) -> bool:
        """False when the token was already used (a replay)."""

    async def revoke_family(self, family_id: UUID, now: datetime) -> int: ...
    async def revoke_sessions_of(self, user_id: UUID, now: datetime) -> int: ...


class Invitations(Protocol):
    async def add(self, **values: Any) -> None: ...
    async def list_newest(self, *, limit: int, offset: int) -> list[Row]: ...
    async def find_by_hash(self, token_hash: str) -> Row | None: ...
    async def get(self, invitation_id: UUID, *, lock: bool = False) -> Row | None: ...
    async def revoke(self, invitation_id: UUID, now: datetime, revoked_by: UUID | None) -> None: ...
    async def renew(self, invitation_id: UUID, *, token_hash: str, expires_at: datetime) -> None: ...
    async def sent(self, invitation_id: UUID, delivery: str, now: datetime) -> None: ...

    async def mark_accepted(self, invitation_id: UUID, user_id: UUID, now: datetime) -> bool:
        """False when the invitation was already used or withdrawn."""


class ApiKeys(Protocol):
    async def add(self, **values: Any) -> None: ...
    async def list_newest(self) -> list[Row]: ...
    async def find(self, key_id: UUID) -> Row | None: ...
    async def touch(self, key_id: UUID, now: datetime) -> None: ...

    async def revoke(self, key_id: UUID, now: datetime) -> Row | None:
        """The key after revoking it (idempotent), or None when this tenant has no such key."""

    async def revoke_created_by(self, created_by: str, now: datetime) -> list[UUID]:
        """Revoke every live key this person created here; the ids of the keys revoked now."""


class SignInLimits(Protocol):
    """Counters of password checks by key (``domain.lockout.SignInLimits.keys``); global rows."""

    async def lock(self, keys: list[str]) -> dict[str, tuple[int, datetime | None]]:
        """key -> (failures, last failure) of every key, made when missing, locked until the transaction ends."""

    async def put(self, key: str, failures: int, last_failed_at: datetime | None) -> None: ...
    async def purge(self, before: datetime) -> int: ...


class AuditLog(Protocol):
    async def record(
        self,
        action: str,
        *,
        now: datetime,
        actor_kind: str,
        actor_id: str | None,
        subject_id: str | None = None,
        **details: Any,
    ) -> None: ...

    async def list_newest(self, *, action: str | None, limit: int, offset: int) -> list[Row]: ...


class IdentityWork(Work, Protocol):
    """One transaction of identity's: its repositories, its events, and the tenant it is confined to."""

    people: People
    organizations: Organizations
    refresh_tokens: RefreshTokens
    invitations: Invitations
    api_keys: ApiKeys
    audit: AuditLog
    sign_in_limits: SignInLimits
    password_resets: PasswordResets

    async def use_tenant(self, organization_id: UUID) -> None:
        """Confine the rest of the transaction to the tenant a looked-up row belongs to."""

    async def __aenter__(self) -> IdentityWork: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


USER_SETTING = "app.current_user_id"
"""The transaction-local setting that opens a person's memberships and organizations (``memberships_of``)."""


class IdentityDatabase(Protocol):
    def unit_of_work(self, tenant_id: UUID | None, *, settings: Mapping[str, UUID] | None = None) -> IdentityWork: ...


class Passwords(Protocol):
    async def hash(self, password: str) -> str:
        """Raises ``ServiceUnavailable`` (503, Retry-After) when the hashing queue is full."""

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """With no stored hash (unknown email) a dummy is verified, so it takes as long as a wrong password.
        Raises ``ServiceUnavailable`` (503, Retry-After) when the hashing queue is full."""


class SigningKeys(Protocol):
    async def sign(self, claims: dict[str, Any]) -> str: ...
    async def jwks(self) -> dict[str, Any]: ...


class IdentityConfig(Protocol):
    """The settings the use cases read (``IdentitySettings`` has them)."""

    @property
    def jwt_issuer(self) -> str: ...
    @property
    def jwt_audience(self) -> str: ...
    @property
    def access_token_ttl_seconds(self) -> int: ...
    @property
    def refresh_token_ttl_seconds(self) -> int: ...
    @property
    def session_lifetime_seconds(self) -> int: ...
    @property
    def invitation_ttl_seconds(self) -> int: ...
    @property
    def password_reset_ttl_seconds(self) -> int: ...
    @property
    def console_url(self) -> str | None: ...
