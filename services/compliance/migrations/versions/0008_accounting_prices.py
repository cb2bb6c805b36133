"""Prices entered once: compliance keeps a copy of accounting's prices (``accounting.price_recorded.v1``) and
values the severance tax with them where a sale carries no price of its own (docs/compliance.md#severance-tax-rules).

Written as explicit operations.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.execute(
        """CREATE TABLE accounting_prices (
            organization_id uuid NOT NULL,
            month date NOT NULL,
            product text NOT NULL,
            applies_to text NOT NULL,
            lease_id uuid,
            price numeric(18, 6) NOT NULL,
            source text NOT NULL,
            volume numeric(18, 4),
            gross_value numeric(18, 2),
            deductions numeric(18, 2),
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (organization_id, month, product, applies_to)
        )"""
    )
    enable_tenant_rls(op, "accounting_prices")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS accounting_prices")
