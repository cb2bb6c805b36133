"""Form PR on one measurement basis: compliance's copy of a lease-month keeps production's net standard stock
(60 F, less BS&W), whether every oil tank was gauged on the month's last day, and the stock gauges whose net is
not temperature-corrected (``LeaseMonthUpdated``'s fields of the same names).

Written as explicit operations. Revision 0001 creates its tables from ``adapters/tables`` as they stand, so on a
new database the columns exist already: each is added ``IF NOT EXISTS``. Rows kept before this revision have no
net stock and ``month_end_gauged`` false: their drafts use the pumpers' readings (flagged) until production
announces the month again.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"

COLUMNS = (
    ("beginning_net_stock_bbl", "numeric(18, 4)"),
    ("ending_net_stock_bbl", "numeric(18, 4)"),
    ("month_end_gauged", "boolean NOT NULL DEFAULT false"),
    ("uncorrected_stock_gauges", "jsonb NOT NULL DEFAULT '[]'::jsonb"),
)


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.execute(f"ALTER TABLE lease_months ADD COLUMN IF NOT EXISTS {name} {kind}")


def downgrade() -> None:
    for name, _ in COLUMNS:
        op.execute(f"ALTER TABLE lease_months DROP COLUMN IF EXISTS {name}")
