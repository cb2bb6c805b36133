"""Money out: payment runs (from finalized revenue runs and JIB credits), one payment per payee per run,
payment lines (what each payment pays), the organization's ACH settings (its bank, the ODFI; two approvers;
the next check number) and the accounts already prenoted (docs/payments.md).

Also:
- ``partners.bank_account_type`` (checking or savings: the ACH transaction code 22 or 32);
- ``agreements.allow_revenue_netting`` (the JOA lets the operator net a working-interest owner's JIB balance
  against its revenue);
- ``jib_payments.payment_run_id``: a payment run's netting (positive) or refund of a credit (negative) is a
  JIB payment too, so JIB balances see it; the amount check allows the negative refund only for those.

Written as explicit operations. 0001 creates its tables from ``adapters/tables`` as it stands (the new columns
included, on a new database), hence ``IF NOT EXISTS``; the payment tables are created here (not in 0001).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

from wellflow_accounting.adapters.tables import PAYMENT_TENANT_TABLES, metadata
from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("ALTER TABLE partners ADD COLUMN IF NOT EXISTS bank_account_type TEXT")
    op.execute("ALTER TABLE agreements ADD COLUMN IF NOT EXISTS allow_revenue_netting BOOLEAN NOT NULL DEFAULT false")
    op.execute("ALTER TABLE jib_payments ADD COLUMN IF NOT EXISTS payment_run_id UUID")
    op.execute("ALTER TABLE jib_payments DROP CONSTRAINT IF EXISTS payment_positive")
    op.execute(
        "ALTER TABLE jib_payments ADD CONSTRAINT payment_positive "
        "CHECK (amount > 0 OR (payment_run_id IS NOT NULL AND amount <> 0))"
    )
    bind = op.get_bind()
    for name in PAYMENT_TENANT_TABLES:
        metadata.tables[name].create(bind=bind, checkfirst=True)
        enable_tenant_rls(op, name)


def downgrade() -> None:
    bind = op.get_bind()
    for name in reversed(PAYMENT_TENANT_TABLES):
        metadata.tables[name].drop(bind=bind, checkfirst=True)
    # The owner is under FORCE ROW LEVEL SECURITY too: lifted for this statement, in this transaction.
    op.execute("ALTER TABLE jib_payments NO FORCE ROW LEVEL SECURITY")
    op.execute("DELETE FROM jib_payments WHERE payment_run_id IS NOT NULL")
    op.execute("ALTER TABLE jib_payments FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE jib_payments DROP CONSTRAINT IF EXISTS payment_positive")
    op.execute("ALTER TABLE jib_payments ADD CONSTRAINT payment_positive CHECK (amount > 0)")
    op.execute("ALTER TABLE jib_payments DROP COLUMN IF EXISTS payment_run_id")
    op.execute("ALTER TABLE agreements DROP COLUMN IF EXISTS allow_revenue_netting")
    op.execute("ALTER TABLE partners DROP COLUMN IF EXISTS bank_account_type")
