"""Production schema: local copies of the asset registry, daily readings with their history, tank gauges,
run tickets, gas dispositions, lease-month rollups, imports and alerts (all tenant tables, RLS forced), the
cross-tenant list of known organizations, and the messaging tables.

The tables are created from ``wellflow_production.adapters.tables`` as they stand at this revision; a later
change to them is a new revision with explicit operations.

Revision ID: 0001
"""

from alembic import op

from wellflow_production.adapters.tables import TENANT_TABLES, metadata
from wellflow_servicekit.migrations import create_messaging_tables, create_tenant_tables, drop_tenant_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    create_tenant_tables(op, metadata, TENANT_TABLES)
    metadata.tables["known_organizations"].create(bind=op.get_bind())
    # CSV imports COPY into a temporary staging table (private to the session, dropped at commit): the
    # runtime role, the one granted CONNECT here besides the owner, may create temporary tables.
    op.execute(GRANT_TEMP)


GRANT_TEMP = """
DO $$
DECLARE grantee text;
BEGIN
    FOR grantee IN
        SELECT r.rolname FROM pg_database d CROSS JOIN LATERAL aclexplode(d.datacl) a
          JOIN pg_roles r ON r.oid = a.grantee
         WHERE d.datname = current_database() AND a.privilege_type = 'CONNECT' AND r.rolname <> current_user
    LOOP
        EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), grantee);
    END LOOP;
END $$
"""


def downgrade() -> None:
    bind = op.get_bind()
    metadata.tables["known_organizations"].drop(bind=bind)
    drop_tenant_tables(op, metadata, TENANT_TABLES)
