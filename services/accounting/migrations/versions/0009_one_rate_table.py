"""One source for the New York Fed rate of Nat. Res. Code 91.403 interest: payment runs price late interest from
the effective-dated rate table of 0005 (the published history and the organization's own entries), so the
payment settings' own list ``payment_settings.late_interest_rates`` goes.

An organization that had entered rates in that list keeps them: each is copied into ``late_interest_rates``
(unless a rate from that day is already entered there). Written as explicit operations; on a new database 0004
creates ``payment_settings`` from ``adapters/tables`` without the column, hence ``IF EXISTS``.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"

_COPY = """
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
             WHERE table_name = 'payment_settings' AND column_name = 'late_interest_rates') THEN
    INSERT INTO late_interest_rates (organization_id, id, effective, annual_rate, source, created_by, created_at)
    SELECT s.organization_id, gen_random_uuid(), (r->>'effective')::date, (r->>'annual_rate')::numeric,
           'entered in the payment settings', s.updated_by, s.updated_at
    FROM payment_settings s, jsonb_array_elements(s.late_interest_rates) r
    ON CONFLICT (organization_id, effective) DO NOTHING;
  END IF;
END $$;
"""


def upgrade() -> None:
    # The owner is under FORCE ROW LEVEL SECURITY: lifted for these statements, in this transaction.
    for table in ("payment_settings", "late_interest_rates"):
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(_COPY)
    for table in ("payment_settings", "late_interest_rates"):
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE payment_settings DROP COLUMN IF EXISTS late_interest_rates")


def downgrade() -> None:
    # The rates stay in ``late_interest_rates``; the old list comes back empty.
    op.execute(
        "ALTER TABLE payment_settings ADD COLUMN IF NOT EXISTS late_interest_rates JSONB NOT NULL DEFAULT '[]'::jsonb"
    )
