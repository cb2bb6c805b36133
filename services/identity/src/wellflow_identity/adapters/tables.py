"""Identity's tables (SQLAlchemy Core). The migration in ``migrations/versions`` creates them.

Global tables (no tenant): ``users``, ``credentials``, ``signing_keys``, ``account_events``. A person
exists once and may belong to several organizations; keys sign for every tenant.

Tenant tables (``organization_id``, RLS forced): ``organizations``, ``memberships``, ``invitations``,
``refresh_tokens``, ``api_keys``, ``audit_log``. Besides the tenant policy, a few carry one narrow extra
SELECT policy, opened by a transaction-local setting, for the moments identity must find a row before it
knows the tenant:

- ``memberships`` and ``organizations``: the rows of the person ``app.current_user_id`` names (set only
  after their password or token was verified), to pick or switch organization;
- ``refresh_tokens`` by ``app.lookup_token_hash``, ``invitations`` by ``app.lookup_token_hash``, and
  ``api_keys`` by ``app.lookup_api_key_id``: only whoever holds the secret knows the hash to ask for.

Once the row is found, the transaction sets the row's tenant and everything else runs under the
ordinary tenant policy.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

metadata = MetaData()


def _ts(name: str, nullable: bool = False) -> Column:
    return Column(name, DateTime(timezone=True), nullable=nullable)


users = Table(
    "users",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("email", Text, nullable=False, unique=True),
    Column("full_name", Text, nullable=False),
    _ts("created_at"),
)

credentials = Table(
    "credentials",
    metadata,
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id"), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    _ts("last_failed_at", nullable=True),
    _ts("updated_at"),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", Text, primary_key=True),
    Column("algorithm", Text, nullable=False),
    Column("public_jwk", JSONB, nullable=False),
    Column("private_key_encrypted", LargeBinary, nullable=False),
    _ts("created_at"),
    _ts("retire_at", nullable=True),
)

account_events = Table(
    "account_events",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _ts("occurred_at"),
    Column("user_id", UUID(as_uuid=True), nullable=True),
    Column("email", Text, nullable=True),
    Column("action", Text, nullable=False),
    Column("details", JSONB, nullable=False, server_default="{}"),
)

organizations = Table(
    "organizations",
    metadata,
    Column("organization_id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("rrc_operator_number", Text, nullable=True),
    Column("tax_id", Text, nullable=True),
    Column("address", Text, nullable=True),
    _ts("created_at"),
    _ts("updated_at"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("organization_id", UUID(as_uuid=True), nullable=False),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id"), nullable=False),
    Column("role", Text, nullable=False),
    Column("status", Text, nullable=False),
    _ts("joined_at"),
    _ts("updated_at"),
    PrimaryKeyConstraint("organization_id", "user_id"),
)

invitations = Table(
    "invitations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("organization_id", UUID(as_uuid=True), nullable=False),
    Column("email", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("invited_by", UUID(as_uuid=True), nullable=True),
    _ts("created_at"),
    _ts("expires_at"),
    _ts("accepted_at", nullable=True),
    Column("accepted_user_id", UUID(as_uuid=True), nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("organization_id", UUID(as_uuid=True), nullable=False),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("family_id", UUID(as_uuid=True), nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    _ts("issued_at"),
    _ts("expires_at"),
    _ts("used_at", nullable=True),
    _ts("revoked_at", nullable=True),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("organization_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("secret_hash", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    _ts("created_at"),
    _ts("last_used_at", nullable=True),
    _ts("revoked_at", nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("organization_id", UUID(as_uuid=True), nullable=False),
    _ts("occurred_at"),
    Column("actor_kind", Text, nullable=False),
    Column("actor_id", Text, nullable=True),
    Column("action", Text, nullable=False),
    Column("subject_id", Text, nullable=True),
    Column("details", JSONB, nullable=False, server_default="{}"),
)
