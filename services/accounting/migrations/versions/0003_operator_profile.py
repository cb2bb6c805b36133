"""The operator's profile on statements, and an owner number for every partner.

- ``operator_profiles``: accounting's copy of the organization's profile from identity
  (``identity.organization_updated.v1``): name, legal name, mailing address, phone, email, P-5 number, logo.
  Statements and check stubs print it (Nat. Res. Code 91.502, item 12: an address and a phone).
- Partners without an owner number get one: per organization, after the highest number already used (or
  1000), in the order they were created. New partners are numbered the same way when none is given
  (``app/partners.py``). Statements and file names carry the number, never the internal id.

Written as explicit operations; 0001 creates its tables from ``adapters/tables`` but not this one
(``PROFILE_TENANT_TABLES``).

Revision ID: 0003
Revises: 0002
"""

from alembic import op

from wellflow_accounting.adapters.tables import PROFILE_TENANT_TABLES, metadata
from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0003"
down_revision = "0002"

NUMBER_EXISTING = """
WITH base AS (
    SELECT organization_id,
           greatest(1000, coalesce(max(CASE WHEN owner_number ~ '^[0-9]{1,9}$' THEN owner_number::bigint END), 0))
               AS start
    FROM partners GROUP BY organization_id
), numbered AS (
    SELECT p.organization_id, p.id,
           b.start + row_number() OVER (PARTITION BY p.organization_id ORDER BY p.created_at, p.id) AS number
    FROM partners p JOIN base b ON b.organization_id = p.organization_id
    WHERE p.owner_number IS NULL OR btrim(p.owner_number) = ''
)
UPDATE partners SET owner_number = numbered.number::text
FROM numbered WHERE partners.organization_id = numbered.organization_id AND partners.id = numbered.id
"""


def upgrade() -> None:
    bind = op.get_bind()
    for name in PROFILE_TENANT_TABLES:
        metadata.tables[name].create(bind=bind, checkfirst=True)
        enable_tenant_rls(op, name)
    # The owner is under FORCE ROW LEVEL SECURITY too: lifted for this statement, in this transaction.
    op.execute("ALTER TABLE partners NO FORCE ROW LEVEL SECURITY")
    op.execute(NUMBER_EXISTING)
    op.execute("ALTER TABLE partners FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    # The numbers given stay: they are the partners' numbers now, and the earlier release reads them as typed.
    for name in reversed(PROFILE_TENANT_TABLES):
        metadata.tables[name].drop(bind=op.get_bind(), checkfirst=True)
