"""Texas owner-payment law (docs/owner-payment-law.md):

- ``fed_primary_credit_rates``: the New York Fed's primary credit rate history that Nat. Res. Code 91.403
  interest is priced on, shared by every organization (no tenant; the service never writes it), seeded from
  ``wellflow_texas/data/ny_fed_primary_credit.csv``; ``late_interest_rates``: an organization's own entries;
- ``owner_law_tenants``: organizations with a finalized revenue run (the daily late-payment check visits them),
  filled from the runs already finalized;
- ``late_payment_notices``: the late items already announced (``accounting.owner_payment_late.v1``);
- ``information_requests``: owners' 91.504 / 91.507 requests and their 60-day deadline;
- ``escheat_letters`` and ``escheat_reports``: Property Code chapter 74 due diligence and the reports filed;
- ``deck_lines.cost_free``: a royalty that bears no deductions;
- ``suspense_entries.escheat_report_id`` (and ``run_id`` may be NULL): a balance released to the Comptroller.

Written as explicit operations. 0001 creates its tables from ``adapters/tables`` as it stands (the new columns
included, on a new database), hence ``IF NOT EXISTS``.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from wellflow_accounting.adapters.tables import OWNER_LAW_TENANT_TABLES, fed_primary_credit_rates, metadata
from wellflow_servicekit.migrations import enable_tenant_rls
from wellflow_texas.payment_law import published_fed_rates

revision = "0005"
down_revision = "0004"

REMEMBER_TENANTS = """
INSERT INTO owner_law_tenants (tenant_id, first_seen_at)
SELECT organization_id, min(finalized_at) FROM distribution_runs WHERE status = 'finalized' GROUP BY organization_id
ON CONFLICT DO NOTHING
"""


def upgrade() -> None:
    bind = op.get_bind()
    op.execute("ALTER TABLE deck_lines ADD COLUMN IF NOT EXISTS cost_free BOOLEAN NOT NULL DEFAULT false")
    op.execute("ALTER TABLE suspense_entries ADD COLUMN IF NOT EXISTS escheat_report_id UUID")
    op.execute("ALTER TABLE suspense_entries ALTER COLUMN run_id DROP NOT NULL")
    for name in ("fed_primary_credit_rates", "owner_law_tenants"):
        metadata.tables[name].create(bind=bind, checkfirst=True)
    for name in OWNER_LAW_TENANT_TABLES:
        metadata.tables[name].create(bind=bind, checkfirst=True)
        enable_tenant_rls(op, name)
    rows = [
        {"effective": r.effective, "annual_rate": r.annual_rate, "verified": r.verified, "source": r.source}
        for r in published_fed_rates()
    ]
    op.execute(sa.delete(fed_primary_credit_rates))
    op.bulk_insert(fed_primary_credit_rates, rows)
    # The owner is under FORCE ROW LEVEL SECURITY too: lifted for this statement, in this transaction.
    op.execute("ALTER TABLE distribution_runs NO FORCE ROW LEVEL SECURITY")
    op.execute(REMEMBER_TENANTS)
    op.execute("ALTER TABLE distribution_runs FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    bind = op.get_bind()
    for name in reversed(OWNER_LAW_TENANT_TABLES):
        metadata.tables[name].drop(bind=bind, checkfirst=True)
    for name in ("owner_law_tenants", "fed_primary_credit_rates"):
        metadata.tables[name].drop(bind=bind, checkfirst=True)
    # Balances released to the Comptroller stay released; their entries keep a NULL run.
    op.execute("ALTER TABLE suspense_entries DROP COLUMN IF EXISTS escheat_report_id")
    op.execute("ALTER TABLE deck_lines DROP COLUMN IF EXISTS cost_free")
