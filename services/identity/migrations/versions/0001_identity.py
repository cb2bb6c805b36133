"""Identity schema: people and credentials (global), organizations and what belongs to them (tenant, RLS),
signing keys, audit trails, and the messaging tables.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.migrations import create_messaging_tables, enable_tenant_rls, organization_id_column

revision = "0001"
down_revision = None

USER_SETTING = "nullif(current_setting('app.current_user_id', true), '')::uuid"
TOKEN_HASH_SETTING = "nullif(current_setting('app.lookup_token_hash', true), '')"  # noqa: S105 - a setting name, not a secret
API_KEY_SETTING = "nullif(current_setting('app.lookup_api_key_id', true), '')::uuid"


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _uuid(name: str, nullable: bool = False, **kwargs) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable, **kwargs)


def _lookup_policy(table: str, name: str, predicate: str) -> None:
    """A narrow SELECT-only policy beside the tenant one (policies of a command are OR-ed)."""
    op.execute(f"CREATE POLICY {name} ON {table} FOR SELECT USING ({predicate})")


def upgrade() -> None:
    create_messaging_tables(op)

    op.create_table(
        "users",
        _uuid("id", primary_key=True),
        sa.Column("email", sa.Text, nullable=False, unique=True),
        sa.Column("full_name", sa.Text, nullable=False),
        _ts("created_at"),
    )
    op.create_table(
        "credentials",
        _uuid("user_id", sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
        _ts("last_failed_at", nullable=True),
        _ts("updated_at"),
    )
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.Text, primary_key=True),
        sa.Column("algorithm", sa.Text, nullable=False),
        sa.Column("public_jwk", JSONB, nullable=False),
        sa.Column("private_key_encrypted", sa.LargeBinary, nullable=False),
        _ts("created_at"),
        _ts("retire_at", nullable=True),
    )
    op.create_table(
        "account_events",
        _uuid("id", primary_key=True),
        _ts("occurred_at"),
        _uuid("user_id", nullable=True),
        sa.Column("email", sa.Text, nullable=True),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("details", JSONB, nullable=False, server_default="{}"),
    )
    op.create_index("account_events_user", "account_events", ["user_id", "occurred_at"])

    op.create_table(
        "organizations",
        _uuid("organization_id", primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("rrc_operator_number", sa.Text, nullable=True),
        sa.Column("tax_id", sa.Text, nullable=True),
        sa.Column("address", sa.Text, nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
    )
    enable_tenant_rls(op, "organizations")

    op.create_table(
        "memberships",
        organization_id_column(),
        _uuid("user_id", sa.ForeignKey("users.id")),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        _ts("joined_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("organization_id", "user_id"),
        sa.CheckConstraint("role IN ('owner', 'manager', 'pumper', 'accountant', 'auditor')", name="membership_role"),
        sa.CheckConstraint("status IN ('active', 'deactivated')", name="membership_status"),
    )
    op.create_index("memberships_user", "memberships", ["user_id"])
    enable_tenant_rls(op, "memberships")
    _lookup_policy("memberships", "own_memberships", f"user_id = {USER_SETTING}")
    _lookup_policy(
        "organizations",
        "own_organizations",
        f"organization_id IN (SELECT m.organization_id FROM memberships m WHERE m.user_id = {USER_SETTING})",
    )

    op.create_table(
        "invitations",
        _uuid("id", primary_key=True),
        organization_id_column(),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("token_hash", sa.Text, nullable=False, unique=True),
        _uuid("invited_by", nullable=True),
        _ts("created_at"),
        _ts("expires_at"),
        _ts("accepted_at", nullable=True),
        _uuid("accepted_user_id", nullable=True),
    )
    op.create_index("invitations_org", "invitations", ["organization_id", "created_at"])
    enable_tenant_rls(op, "invitations")
    _lookup_policy("invitations", "by_token_hash", f"token_hash = {TOKEN_HASH_SETTING}")

    op.create_table(
        "refresh_tokens",
        _uuid("id", primary_key=True),
        organization_id_column(),
        _uuid("user_id"),
        _uuid("family_id"),
        sa.Column("token_hash", sa.Text, nullable=False, unique=True),
        _ts("issued_at"),
        _ts("expires_at"),
        _ts("used_at", nullable=True),
        _ts("revoked_at", nullable=True),
    )
    op.create_index("refresh_tokens_family", "refresh_tokens", ["organization_id", "family_id"])
    op.create_index("refresh_tokens_user", "refresh_tokens", ["organization_id", "user_id"])
    enable_tenant_rls(op, "refresh_tokens")
    _lookup_policy("refresh_tokens", "by_token_hash", f"token_hash = {TOKEN_HASH_SETTING}")

    op.create_table(
        "api_keys",
        _uuid("id", primary_key=True),
        organization_id_column(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("secret_hash", sa.Text, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        _ts("created_at"),
        _ts("last_used_at", nullable=True),
        _ts("revoked_at", nullable=True),
    )
    op.create_index("api_keys_org", "api_keys", ["organization_id", "created_at"])
    enable_tenant_rls(op, "api_keys")
    _lookup_policy("api_keys", "by_key_id", f"id = {API_KEY_SETTING}")

    op.create_table(
        "audit_log",
        _uuid("id", primary_key=True),
        organization_id_column(),
        _ts("occurred_at"),
        sa.Column("actor_kind", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Text, nullable=True),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("subject_id", sa.Text, nullable=True),
        sa.Column("details", JSONB, nullable=False, server_default="{}"),
    )
    op.create_index("audit_log_org", "audit_log", ["organization_id", "occurred_at"])
    enable_tenant_rls(op, "audit_log")


def downgrade() -> None:
    for table in (
        "audit_log",
        "api_keys",
        "refresh_tokens",
        "invitations",
        "memberships",
        "organizations",
        "account_events",
        "signing_keys",
        "credentials",
        "users",
    ):
        op.drop_table(table)
