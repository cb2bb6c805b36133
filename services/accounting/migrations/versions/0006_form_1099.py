"""Year-end 1099s (docs/1099.md):

- ``partners``: the TIN's type (``tin_type``: ssn or ein), the last IRS "B" notice (``b_notice_on``), the last
  certification received after it (``tin_certified_on``: a W-9, or the SSA's / IRS's validation after a
  second notice), ``second_b_notice`` (two notices in three calendar years) and ``exempt_from_1099`` (an exempt
  payee, e.g. a corporation). Existing TINs get the type their owner's kind suggests (an individual's SSN, a
  company's EIN);
- ``tax_filer_settings``: the payer's EIN and the IRS transmitter details (TCC, contact) of an organization;
- ``form_1099_filings`` and ``form_1099_filed_returns``: each Publication 1220 file generated and the returns it
  carried, so a later change is filed as a correction of what was sent;
- ``form_1099_outside_payments``: payments made outside WellFlow's payment runs (before the operator moved to
  WellFlow in the year, a lease bonus paid by hand) that the year's 1099s include.

Written as explicit operations. 0001 creates its tables from ``adapters/tables`` as it stands (the new columns
included, on a new database), hence ``IF NOT EXISTS``.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

from wellflow_accounting.adapters.tables import TAX_TENANT_TABLES, metadata
from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0006"
down_revision = "0005"

PARTNER_COLUMNS = (
    "tin_type TEXT",
    "b_notice_on DATE",
    "tin_certified_on DATE",
    "second_b_notice BOOLEAN NOT NULL DEFAULT false",
    "exempt_from_1099 BOOLEAN NOT NULL DEFAULT false",
)


def upgrade() -> None:
    for column in PARTNER_COLUMNS:
        op.execute(f"ALTER TABLE partners ADD COLUMN IF NOT EXISTS {column}")
    op.execute("ALTER TABLE partners DROP CONSTRAINT IF EXISTS partner_tin_type")
    op.execute(
        "ALTER TABLE partners ADD CONSTRAINT partner_tin_type CHECK (tin_type IS NULL OR tin_type IN ('ssn', 'ein'))"
    )
    # The owner is under FORCE ROW LEVEL SECURITY too: lifted for this statement, in this transaction.
    op.execute("ALTER TABLE partners NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "UPDATE partners SET tin_type = CASE WHEN kind = 'individual' THEN 'ssn' ELSE 'ein' END "
        "WHERE tax_id IS NOT NULL AND tin_type IS NULL"
    )
    op.execute("ALTER TABLE partners FORCE ROW LEVEL SECURITY")
    bind = op.get_bind()
    for name in TAX_TENANT_TABLES:
        metadata.tables[name].create(bind=bind, checkfirst=True)
        enable_tenant_rls(op, name)


def downgrade() -> None:
    bind = op.get_bind()
    for name in reversed(TAX_TENANT_TABLES):
        metadata.tables[name].drop(bind=bind, checkfirst=True)
    op.execute("ALTER TABLE partners DROP CONSTRAINT IF EXISTS partner_tin_type")
    for column in PARTNER_COLUMNS:
        op.execute(f"ALTER TABLE partners DROP COLUMN IF EXISTS {column.split()[0]}")
