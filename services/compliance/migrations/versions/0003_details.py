"""Form PR details: the lease copy keeps its Form P-4 purchasers and gatherers, the well copy its drilling permit
number, and a lease month its wells' volumes (the basis for one Form PR line per gas well).

Written as explicit operations, so later changes to the table definitions do not change this revision. Revision
0001 creates the tables from ``adapters.tables`` as they stand, so a fresh database already has these columns:
they are added only where missing (``IF NOT EXISTS``), which makes this revision right on both.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"


COLUMNS = (
    ("leases", "purchasers", "jsonb"),
    ("wells", "permit_number", "text"),
    ("lease_months", "well_volumes", "jsonb"),
)


def upgrade() -> None:
    for table, column, kind in COLUMNS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")


def downgrade() -> None:
    for table, column, _ in reversed(COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
