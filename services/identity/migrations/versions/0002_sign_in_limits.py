"""Sign-in limits counted per account, per address and per both (issue 19, item 5), and the start of a
refresh token's session (its absolute lifetime, item 7).

``sign_in_limits`` is global (no tenant): a sign-in happens before any organization is known. Its keys are
hashes of the email and the client address (``domain.lockout.SignInLimits``). ``credentials.failed_attempts``
and ``last_failed_at`` are no longer used (kept so a rollback to the previous release still works).

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "sign_in_limits",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("sign_in_limits_last_failed", "sign_in_limits", ["last_failed_at"])
    # Rows of sessions begun before this release have none: their start is their own issued_at.
    op.add_column("refresh_tokens", sa.Column("session_started_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("refresh_tokens", "session_started_at")
    op.drop_table("sign_in_limits")
