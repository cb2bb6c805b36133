"""Measurement on one basis: tank gauges carry the tank's temperature, BS&W and gravity and their net standard
barrels; run tickets keep the opening and closing tank temperatures (each gauge's own CTL), whether the
gravity was a glass hydrometer reading, and the purchaser's price; lease-month rollups carry net stock, whether
every oil tank was gauged on the month's last day, and the gauges whose net is not temperature-corrected.

Written as explicit operations. Revision 0001 creates its tables from ``adapters/tables`` as they stand, so on a
new database the columns exist already: each is added ``IF NOT EXISTS``, filled for the rows that exist, then
made NOT NULL where the definition says so.

Existing rows stay valid:
- a stand-alone gauge recorded before this revision has no known gravity: net = gross, ``net_basis``
  'legacy' (not temperature-corrected; the Form PR draft says so);
- the gauges a run ticket took are corrected with that ticket's CTL and BS&W (those tickets had one
  temperature, so both gauges were at it);
- a run ticket's opening and closing temperatures are its observed temperature, both CTLs its CTL, and its
  gravity was entered as a corrected reading (``hydrometer_correction`` false), as the API documented;
- lease-month net stock stays NULL until the month is next recomputed (any change to the lease-month).

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"

ADD = {
    "tank_gauges": [
        ("bsw_percent", "numeric(6, 3)"),
        ("observed_gravity_api", "numeric(6, 2)"),
        ("gravity_temperature_f", "numeric(6, 2)"),
        ("api_gravity_60", "numeric(6, 2)"),
        ("gravity_source", "text"),
        ("ctl", "numeric(8, 5)"),
        ("net_bbl", "numeric(15, 3)"),
        ("net_basis", "text"),
    ],
    "run_tickets": [
        ("opening_temperature_f", "numeric(6, 2)"),
        ("closing_temperature_f", "numeric(6, 2)"),
        ("ctl_opening", "numeric(8, 5)"),
        ("ctl_closing", "numeric(8, 5)"),
        ("hydrometer_correction", "boolean"),
        ("price_per_bbl", "numeric(12, 4)"),
    ],
    "lease_months": [
        ("beginning_net_stock_bbl", "numeric(15, 3)"),
        ("ending_net_stock_bbl", "numeric(15, 3)"),
        ("month_end_gauged", "boolean"),
        ("uncorrected_stock_gauges", "jsonb"),
    ],
}

NOT_NULL = {
    "tank_gauges": ("gravity_source", "net_bbl", "net_basis"),
    "run_tickets": (
        "opening_temperature_f",
        "closing_temperature_f",
        "ctl_opening",
        "ctl_closing",
        "hydrometer_correction",
    ),
    "lease_months": ("month_end_gauged", "uncorrected_stock_gauges"),
}

BACKFILL = (
    """UPDATE tank_gauges SET net_bbl = barrels, net_basis = 'legacy', gravity_source = 'none'
        WHERE net_bbl IS NULL""",
    """UPDATE tank_gauges tg
          SET net_bbl = round(tg.barrels * rt.ctl * (1 - rt.bsw_percent / 100), 2), ctl = rt.ctl,
              bsw_percent = rt.bsw_percent, api_gravity_60 = rt.api_gravity_60,
              temperature_f = rt.observed_temperature_f, net_basis = 'standard', gravity_source = 'run_ticket'
         FROM run_tickets rt
        WHERE tg.run_ticket_id = rt.id AND tg.net_basis = 'legacy'""",
    """UPDATE run_tickets SET opening_temperature_f = observed_temperature_f,
              closing_temperature_f = observed_temperature_f, ctl_opening = ctl, ctl_closing = ctl,
              hydrometer_correction = false
        WHERE opening_temperature_f IS NULL""",
    """UPDATE lease_months SET month_end_gauged = false, uncorrected_stock_gauges = '[]'::jsonb
        WHERE month_end_gauged IS NULL""",
)


def upgrade() -> None:
    for table, columns in ADD.items():
        for name, kind in columns:
            op.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {kind}")
    for statement in BACKFILL:
        op.execute(statement)
    for table, names in NOT_NULL.items():
        for name in names:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {name} SET NOT NULL")
    op.execute("ALTER TABLE lease_months ALTER COLUMN month_end_gauged SET DEFAULT false")
    op.execute("ALTER TABLE lease_months ALTER COLUMN uncorrected_stock_gauges SET DEFAULT '[]'::jsonb")


def downgrade() -> None:
    for table, columns in ADD.items():
        for name, _ in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {name}")
