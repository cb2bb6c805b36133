"""The filing scope: an organization's go-live month (obligations due before it are out of scope, shown as
"before WellFlow") and obligations filed outside WellFlow (their confirmation number and date, and the state
they closed, for an undo), with an audit trail of both (docs/compliance.md#filing-calendar).

Written as explicit operations. Revision 0001 creates ``filing_obligations`` from ``adapters/tables`` as it
stands, so on a new database its new columns exist already: each is added ``IF NOT EXISTS``. The two new tables
are created here (``SCOPE_TENANT_TABLES``), with RLS forced.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0007"
down_revision = "0006"

COLUMNS = (("outside_confirmation", "text"), ("outside_filed_on", "date"), ("state_before_outside", "text"))


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.execute(f"ALTER TABLE filing_obligations ADD COLUMN IF NOT EXISTS {name} {kind}")
    op.execute(
        """CREATE TABLE filing_scope (
            organization_id uuid NOT NULL,
            go_live_month date,
            set_by text NOT NULL,
            set_at timestamptz NOT NULL,
            reason text,
            PRIMARY KEY (organization_id),
            CONSTRAINT filing_scope_first_day CHECK (go_live_month IS NULL OR extract(day FROM go_live_month) = 1)
        )"""
    )
    op.execute(
        """CREATE TABLE filing_audit (
            organization_id uuid NOT NULL,
            id uuid NOT NULL,
            at timestamptz NOT NULL,
            by text NOT NULL,
            action text NOT NULL,
            obligation_id uuid,
            detail jsonb NOT NULL,
            PRIMARY KEY (organization_id, id)
        )"""
    )
    op.execute("CREATE INDEX filing_audit_at ON filing_audit (organization_id, at)")
    enable_tenant_rls(op, "filing_scope")
    enable_tenant_rls(op, "filing_audit")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS filing_audit")
    op.execute("DROP TABLE IF EXISTS filing_scope")
    for name, _ in COLUMNS:
        op.execute(f"ALTER TABLE filing_obligations DROP COLUMN IF EXISTS {name}")
