"""Compliance schema: copies of leases, wells and lease-month volumes; Form PR reports, lines, adjustments and
filed versions; severance prices, reliefs and taxes; the filing calendar (all tenant tables, RLS forced);
the list of known tenants; and the messaging tables.

The tables are created from ``wellflow_compliance.adapters.tables`` as they stand at this revision; a later
change to them is a new revision with explicit operations.

Revision ID: 0001
"""

from alembic import op

from wellflow_compliance.adapters.tables import TENANT_TABLES, metadata, tenants
from wellflow_servicekit.migrations import create_messaging_tables, create_tenant_tables, drop_tenant_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    tenants.create(bind=op.get_bind())
    create_tenant_tables(op, metadata, TENANT_TABLES)


def downgrade() -> None:
    bind = op.get_bind()
    drop_tenant_tables(op, metadata, TENANT_TABLES)
    tenants.drop(bind=bind)
