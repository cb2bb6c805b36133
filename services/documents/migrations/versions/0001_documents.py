"""Documents schema: documents, links, versions, blobs, resumable uploads and their parts, expiry reminders
(tenant tables, RLS forced), the cross-tenant list of organizations with documents, and the messaging tables.

The tables are created from ``wellflow_documents.adapters.tables`` as they stand at this revision; a later
change to them is a new revision with explicit operations.

Revision ID: 0001
"""

from alembic import op

from wellflow_documents.adapters.tables import TENANT_TABLES, documents_tenants, metadata
from wellflow_servicekit.migrations import create_messaging_tables, create_tenant_tables, drop_tenant_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    create_tenant_tables(op, metadata, TENANT_TABLES)
    documents_tenants.create(bind=op.get_bind())


def downgrade() -> None:
    documents_tenants.drop(bind=op.get_bind())
    drop_tenant_tables(op, metadata, TENANT_TABLES)
