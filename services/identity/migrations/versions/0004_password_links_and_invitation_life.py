"""Links to choose a new password (self-service or made by an owner), and invitations that can be withdrawn
and sent again.

``password_resets`` is global, like ``credentials``: a password belongs to the person, whatever organizations
they are in. Only the SHA-256 of a link's token is stored; a link works once (``used_at``) until ``expires_at``.
An invitation sent again keeps its row and gets a new token hash (the old link dies with its hash);
``delivery`` says how it last went out: mailed, not_mailed (the owner was shown the link) or mail_failed.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "password_resets",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("token_hash", sa.Text, nullable=False, unique=True),
        sa.Column("made_by", UUID(as_uuid=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("password_resets_user", "password_resets", ["user_id", "created_at"])
    op.add_column("invitations", sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("invitations", sa.Column("revoked_by", UUID(as_uuid=True), nullable=True))
    op.add_column("invitations", sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("invitations", sa.Column("delivery", sa.Text, nullable=True))
    op.add_column("invitations", sa.Column("send_count", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    for column in ("send_count", "delivery", "last_sent_at", "revoked_by", "revoked_at"):
        op.drop_column("invitations", column)
    op.drop_table("password_resets")
