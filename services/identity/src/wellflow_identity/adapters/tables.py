"""Identity's tables (SQLAlchemy Core). The migration in ``migrations/versions`` creates them.

Global tables (no tenant): ``users``, ``credentials``, ``password_resets`` (links to choose a new password:
a password belongs to the person, not to one organization), ``signing_keys``, ``account_events``,
``sign_in_limits``. A person
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
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.tables import tenant_table, timestamp_column, uuid_column

metadata = MetaData()


users = Table(
    "users",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("email", Text, nullable=False, unique=True),
    Column("full_name", Text, nullable=False),
    timestamp_column("created_at"),
)

credentials = Table(
    "credentials",
    metadata,
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id"), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    timestamp_column("last_failed_at", nullable=True),
    timestamp_column("updated_at"),
)

password_resets = Table(
    "password_resets",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id"), nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    uuid_column("made_by", nullable=True),
    timestamp_column("created_at"),
    timestamp_column("expires_at"),
    timestamp_column("used_at", nullable=True),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", Text, primary_key=True),
    Column("algorithm", Text, nullable=False),
    Column("public_jwk", JSONB, nullable=False),
    Column("private_key_encrypted", LargeBinary, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("retire_at", nullable=True),
)

account_events = Table(
    "account_events",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    timestamp_column("occurred_at"),
    uuid_column("user_id", nullable=True),
    Column("email", Text, nullable=True),
    Column("action", Text, nullable=False),
    Column("details", JSONB, nullable=False, server_default="{}"),
)

sign_in_limits = Table(
    "sign_in_limits",
    metadata,
    Column("key", Text, primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    timestamp_column("last_failed_at", nullable=True),
)

organizations = Table(
    "organizations",
    metadata,
    Column("organization_id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("rrc_operator_number", Text, nullable=True),
    Column("tax_id", Text, nullable=True),
    Column("address", Text, nullable=True),  # unused since 0003 (copied into address_line1)
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    # the profile (0003): what statements print about the operator
    Column("legal_name", Text, nullable=True),
    Column("address_line1", Text, nullable=True),
    Column("address_line2", Text, nullable=True),
    Column("city", Text, nullable=True),
    Column("state", Text, nullable=True),
    Column("postal_code", Text, nullable=True),
    Column("phone", Text, nullable=True),
    Column("email", Text, nullable=True),
    Column("logo", LargeBinary, nullable=True),
    Column("logo_content_type", Text, nullable=True),
    Column("profile_updated_by", Text, nullable=True),
    timestamp_column("profile_published_at", nullable=True),  # NULL: never published (created before 0003)
    Column("profile_version", Integer, nullable=False, server_default="1"),
)

memberships = tenant_table(
    "memberships",
    metadata,
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id"), nullable=False),
    Column("role", Text, nullable=False),
    Column("status", Text, nullable=False),
    timestamp_column("joined_at"),
    timestamp_column("updated_at"),
    key=("user_id",),
)

invitations = tenant_table(
    "invitations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("email", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    uuid_column("invited_by", nullable=True),
    timestamp_column("created_at"),
    timestamp_column("expires_at"),
    timestamp_column("accepted_at", nullable=True),
    uuid_column("accepted_user_id", nullable=True),
    timestamp_column("revoked_at", nullable=True),
    uuid_column("revoked_by", nullable=True),
    timestamp_column("last_sent_at", nullable=True),
    Column("delivery", Text, nullable=True),
    Column("send_count", Integer, nullable=False, server_default="1"),
    key=(),
)

refresh_tokens = tenant_table(
    "refresh_tokens",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    uuid_column("user_id"),
    uuid_column("family_id"),
    Column("token_hash", Text, nullable=False, unique=True),
    timestamp_column("issued_at"),
    timestamp_column("expires_at"),
    timestamp_column("used_at", nullable=True),
    timestamp_column("revoked_at", nullable=True),
    timestamp_column("session_started_at", nullable=True),
    key=(),
)

api_keys = tenant_table(
    "api_keys",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("secret_hash", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("last_used_at", nullable=True),
    timestamp_column("revoked_at", nullable=True),
    key=(),
)

audit_log = tenant_table(
    "audit_log",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    timestamp_column("occurred_at"),
    Column("actor_kind", Text, nullable=False),
    Column("actor_id", Text, nullable=True),
    Column("action", Text, nullable=False),
    Column("subject_id", Text, nullable=True),
    Column("details", JSONB, nullable=False, server_default="{}"),
    key=(),
)
