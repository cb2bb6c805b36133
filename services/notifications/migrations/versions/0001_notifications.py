"""Notifications schema: the organization and member copies, preferences, suppressions, notifications,
deliveries and their attempts (tenant tables, RLS forced), the cross-tenant list of organizations, and the
messaging tables.

The tables are created from ``wellflow_notifications.adapters.tables`` as they stand at this revision; a later
change to them is a new revision with explicit operations.

Revision ID: 0001
"""

from alembic import op

from wellflow_notifications.adapters.tables import TENANT_TABLES, metadata, notification_tenants
from wellflow_servicekit.migrations import create_messaging_tables, create_tenant_tables, drop_tenant_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    create_tenant_tables(op, metadata, TENANT_TABLES)
    notification_tenants.create(bind=op.get_bind())


def downgrade() -> None:
    notification_tenants.drop(bind=op.get_bind())
    drop_tenant_tables(op, metadata, TENANT_TABLES)
