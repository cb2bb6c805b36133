"""Accounting schema: copies of leases, wells and monthly volumes learned from events; partners, ownership
decks and title holds; prices; revenue distribution runs, owner lines and suspense; operating agreements,
costs, JIB runs, statements and payments; AFEs with lines, elections, history; alerts (all tenant tables, RLS
forced); and the messaging tables.

The tables are created from ``wellflow_accounting.adapters.tables`` as they stand at this revision; a later
change to them is a new revision with explicit operations.

Revision ID: 0001
"""

from alembic import op

from wellflow_accounting.adapters.tables import TENANT_TABLES, metadata
from wellflow_servicekit.migrations import create_messaging_tables, create_tenant_tables, drop_tenant_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    create_tenant_tables(op, metadata, TENANT_TABLES)


def downgrade() -> None:
    drop_tenant_tables(op, metadata, TENANT_TABLES)
