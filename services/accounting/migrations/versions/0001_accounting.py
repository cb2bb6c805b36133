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
from wellflow_servicekit.migrations import create_messaging_tables, enable_tenant_rls

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    bind = op.get_bind()
    for name in TENANT_TABLES:
        metadata.tables[name].create(bind=bind)
        enable_tenant_rls(op, name)


def downgrade() -> None:
    bind = op.get_bind()
    for name in reversed(TENANT_TABLES):
        metadata.tables[name].drop(bind=bind)
