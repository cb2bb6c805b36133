"""The organization's profile: legal name, a mailing address in parts, telephone, email, a small logo (kept in
the database: bytes and type) and the profile's version (each change adds one; the
``identity.organization_updated.v1`` event carries it so consumers keep the newest).

Organizations created before this revision have never published their profile (``profile_published_at`` NULL):
the owner's first save on the Organization page publishes it, even with nothing changed.

The free-text ``address`` of earlier releases is copied into ``address_line1`` (its parts cannot be told apart
reliably: the owner completes city, state and ZIP on the Organization page) and kept, unused, so a rollback to
the previous release still works.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

COLUMNS = (
    ("legal_name", sa.Text),
    ("address_line1", sa.Text),
    ("address_line2", sa.Text),
    ("city", sa.Text),
    ("state", sa.Text),
    ("postal_code", sa.Text),
    ("phone", sa.Text),
    ("email", sa.Text),
    ("logo", sa.LargeBinary),
    ("logo_content_type", sa.Text),
    ("profile_updated_by", sa.Text),
    ("profile_published_at", sa.DateTime(timezone=True)),  # NULL: never published (organizations before 0003)
)


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("organizations", sa.Column(name, kind, nullable=True))
    op.add_column("organizations", sa.Column("profile_version", sa.Integer, nullable=False, server_default="1"))
    op.create_check_constraint(
        "organizations_logo_type",
        "organizations",
        "(logo IS NULL) = (logo_content_type IS NULL) AND (logo IS NULL OR octet_length(logo) <= 65536)",
    )
    # The owner is under FORCE ROW LEVEL SECURITY too: lifted for this one statement, in this transaction.
    op.execute("ALTER TABLE organizations NO FORCE ROW LEVEL SECURITY")
    op.execute("UPDATE organizations SET address_line1 = address WHERE address IS NOT NULL AND address <> ''")
    op.execute("ALTER TABLE organizations FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.drop_constraint("organizations_logo_type", "organizations", type_="check")
    op.drop_column("organizations", "profile_version")
    for name, _ in reversed(COLUMNS):
        op.drop_column("organizations", name)
