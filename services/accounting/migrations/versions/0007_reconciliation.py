"""Purchaser statements in and the three-way reconciliation (docs/reconciliation.md).

- ``statement_column_maps``: a purchaser's check-stub CSV layout, saved by name and reused.
- ``purchaser_properties``: the purchaser's property number -> our lease, learned once and kept.
- ``statement_imports`` / ``statement_lines``: each imported file (by content hash: the same file twice changes
  nothing) and its lines; a line whose property number is not mapped yet is held (``lease_id`` NULL).
- ``posted_prices``: the month's posted price range per product, against which statement prices are checked.
- ``reconciliation_settings``: the organization's tolerances (defaults in ``domain/reconciliation.py``).
- ``reconciliation_items``: every difference over tolerance, once per lease, month, cause and subject.

Written as explicit operations; 0001 does not create these tables (``RECON_TENANT_TABLES``).

Revision ID: 0007
Revises: 0003
"""

from alembic import op

from wellflow_accounting.adapters.tables import RECON_TENANT_TABLES, metadata
from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    bind = op.get_bind()
    for name in RECON_TENANT_TABLES:
        metadata.tables[name].create(bind=bind, checkfirst=True)
        enable_tenant_rls(op, name)


def downgrade() -> None:
    for name in reversed(RECON_TENANT_TABLES):
        metadata.tables[name].drop(bind=op.get_bind(), checkfirst=True)
