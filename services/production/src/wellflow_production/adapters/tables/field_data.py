"""Daily field data: readings and their history, idempotency keys, the organization's settings and reason
codes, tank gauges, run tickets and gas dispositions."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import tenant_table, timestamp_column, uuid_column

from .base import PRESSURE, VOLUME, metadata

readings = tenant_table(
    "readings",
    metadata,
    uuid_column("id"),
    uuid_column("well_id"),
    uuid_column("lease_id"),
    Column("production_date", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("oil_bbl", VOLUME, nullable=False),
    Column("gas_mcf", VOLUME, nullable=False),
    Column("water_bbl", VOLUME, nullable=False),
    Column("hours_on", Numeric(5, 3), nullable=False),
    Column("downtime_reason", Text, nullable=True),
    Column("tubing_pressure_psi", PRESSURE, nullable=True),
    Column("casing_pressure_psi", PRESSURE, nullable=True),
    Column("line_pressure_psi", PRESSURE, nullable=True),
    Column("choke_size_64ths", Numeric(6, 2), nullable=True),
    Column("comments", Text, nullable=True),
    Column("recorded_by", Text, nullable=False),
    timestamp_column("entered_at"),
    timestamp_column("measured_at", nullable=True),
    Column("device_id", Text, nullable=True),
    Column("gps_latitude", Numeric(10, 7), nullable=True),
    Column("gps_longitude", Numeric(10, 7), nullable=True),
    Column("photo_ref", Text, nullable=True),
    Column("source", Text, nullable=False),  # api | import
    uuid_column("import_id", nullable=True),
    timestamp_column("updated_at"),
    Column("updated_by", Text, nullable=False),
    UniqueConstraint("organization_id", "well_id", "production_date", name="readings_well_day_unique"),
    CheckConstraint("oil_bbl >= 0 AND gas_mcf >= 0 AND water_bbl >= 0", name="readings_volumes"),
    CheckConstraint("hours_on >= 0 AND hours_on <= 24", name="readings_hours_on"),
)
Index(
    "readings_lease_day",
    readings.c.organization_id,
    readings.c.lease_id,
    readings.c.production_date,
)

reading_history = tenant_table(
    "reading_history",
    metadata,
    uuid_column("id"),
    uuid_column("reading_id"),
    uuid_column("well_id"),
    Column("production_date", Date, nullable=False),
    Column("kind", Text, nullable=False),  # corrected | deleted
    Column("version", Integer, nullable=False),  # the version after the change
    Column("previous", JSONB, nullable=False),
    Column("current", JSONB, nullable=True),
    Column("reason", Text, nullable=False),
    Column("changed_by", Text, nullable=False),
    timestamp_column("changed_at"),
)
Index(
    "reading_history_reading",
    reading_history.c.organization_id,
    reading_history.c.reading_id,
)

idempotency_keys = tenant_table(
    "idempotency_keys",
    metadata,
    Column("key", Text, nullable=False),
    Column("operation", Text, nullable=False),
    Column("request_hash", Text, nullable=False),
    Column("status_code", SmallInteger, nullable=True),
    Column("response", JSONB, nullable=True),
    timestamp_column("created_at"),
    key=("operation", "key"),
)

downtime_reasons = tenant_table(
    "downtime_reasons",
    metadata,
    Column("code", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    timestamp_column("created_at"),
    key=("code",),
)

production_settings = tenant_table(
    "production_settings",
    metadata,
    Column("max_oil_bbl", VOLUME, nullable=False),
    Column("max_gas_mcf", VOLUME, nullable=False),
    Column("max_water_bbl", VOLUME, nullable=False),
    Column("below_expectation_percent", Numeric(5, 2), nullable=False),
    Column("tank_high_percent", Numeric(5, 2), nullable=False),
    Column("trailing_days", Integer, nullable=False),
    Column("economic_limit_oil_bbl_per_day", VOLUME, nullable=False),
    Column("economic_limit_gas_mcf_per_day", VOLUME, nullable=False),
    timestamp_column("updated_at"),
    # revision 0004: the tank balance's threshold, deferred dollars and the route's order
    Column("tank_gap_floor_bbl", VOLUME, nullable=False, server_default="5"),
    Column("tank_gap_capacity_percent", Numeric(5, 2), nullable=False, server_default="1"),
    Column("tank_stale_days", Integer, nullable=False, server_default="3"),
    Column("net_revenue_interest", Numeric(10, 8), nullable=True),
    Column("route_by_dollars_at_risk", Boolean, nullable=False, server_default="false"),
    Column("updated_by", Text, nullable=False),
    PrimaryKeyConstraint("organization_id"),
    key=(),
)

tank_gauges = tenant_table(
    "tank_gauges",
    metadata,
    uuid_column("id"),
    uuid_column("battery_id"),
    uuid_column("tank_id"),
    uuid_column("lease_id", nullable=True),
    timestamp_column("gauged_at"),
    Column("gauge_date", Date, nullable=False),  # the production day the gauge closes
    Column("feet", SmallInteger, nullable=False),
    Column("inches", SmallInteger, nullable=False),
    Column("quarters", SmallInteger, nullable=False),
    Column("level_inches", Numeric(8, 2), nullable=False),
    Column("barrels", VOLUME, nullable=False),
    Column("bottom_water_inches", Numeric(8, 2), nullable=True),
    Column("temperature_f", Numeric(6, 2), nullable=True),
    Column("source", Text, nullable=False),  # gauge | ticket_opening | ticket_closing
    uuid_column("run_ticket_id", nullable=True),
    Column("recorded_by", Text, nullable=False),
    timestamp_column("entered_at"),
    Column("comments", Text, nullable=True),
    # revision 0003: the tank's net standard barrels (domain.gauging.tank_volume)
    Column("bsw_percent", Numeric(6, 3), nullable=True),
    Column("observed_gravity_api", Numeric(6, 2), nullable=True),
    Column("gravity_temperature_f", Numeric(6, 2), nullable=True),
    Column("api_gravity_60", Numeric(6, 2), nullable=True),
    Column("gravity_source", Text, nullable=False),  # observed | run_ticket | none
    Column("ctl", Numeric(8, 5), nullable=True),
    Column("net_bbl", VOLUME, nullable=False),
    Column("net_basis", Text, nullable=False),  # standard | no_temperature | no_gravity | legacy
)
Index(
    "tank_gauges_tank_time",
    tank_gauges.c.organization_id,
    tank_gauges.c.tank_id,
    tank_gauges.c.gauged_at,
)
Index(  # revision 0004: a run ticket's own gauges (the tank balance reads a ticket's day from its opening gauge)
    "tank_gauges_run_ticket",
    tank_gauges.c.organization_id,
    tank_gauges.c.run_ticket_id,
    postgresql_where=tank_gauges.c.run_ticket_id.is_not(None),
)
Index(
    "tank_gauges_lease_day",
    tank_gauges.c.organization_id,
    tank_gauges.c.lease_id,
    tank_gauges.c.gauge_date,
)

run_tickets = tenant_table(
    "run_tickets",
    metadata,
    uuid_column("id"),
    Column("ticket_number", Text, nullable=False),
    Column("purchaser", Text, nullable=False),
    Column("hauler", Text, nullable=True),
    Column("driver", Text, nullable=True),
    uuid_column("lease_id"),
    uuid_column("battery_id"),
    uuid_column("tank_id"),
    timestamp_column("taken_at"),
    Column("production_month", Date, nullable=False),
    Column("disposition_code", Text, nullable=False),
    Column("opening_feet", SmallInteger, nullable=False),
    Column("opening_inches", SmallInteger, nullable=False),
    Column("opening_quarters", SmallInteger, nullable=False),
    Column("closing_feet", SmallInteger, nullable=False),
    Column("closing_inches", SmallInteger, nullable=False),
    Column("closing_quarters", SmallInteger, nullable=False),
    Column("opening_bbl", VOLUME, nullable=False),
    Column("closing_bbl", VOLUME, nullable=False),
    Column("gross_bbl", VOLUME, nullable=False),
    Column("observed_gravity_api", Numeric(6, 2), nullable=False),
    Column("observed_temperature_f", Numeric(6, 2), nullable=False),
    Column("bsw_percent", Numeric(6, 3), nullable=False),
    Column("api_gravity_60", Numeric(6, 2), nullable=False),
    Column("ctl", Numeric(8, 5), nullable=False),
    Column("net_bbl", VOLUME, nullable=False),
    Column("seal_numbers", JSONB, nullable=False),
    Column("comments", Text, nullable=True),
    Column("recorded_by", Text, nullable=False),
    timestamp_column("entered_at"),
    # revision 0003: each gauge at its own tank temperature; observed_temperature_f is the sample's
    Column("opening_temperature_f", Numeric(6, 2), nullable=False),
    Column("closing_temperature_f", Numeric(6, 2), nullable=False),
    Column("ctl_opening", Numeric(8, 5), nullable=False),
    Column("ctl_closing", Numeric(8, 5), nullable=False),
    Column("hydrometer_correction", Boolean, nullable=False),
    Column("price_per_bbl", Numeric(12, 4), nullable=True),
    UniqueConstraint(
        "organization_id",
        "purchaser",
        "ticket_number",
        name="run_tickets_number_unique",
    ),
)
Index(
    "run_tickets_lease_month",
    run_tickets.c.organization_id,
    run_tickets.c.lease_id,
    run_tickets.c.production_month,
)
Index(
    "run_tickets_battery_time",
    run_tickets.c.organization_id,
    run_tickets.c.battery_id,
    run_tickets.c.taken_at,
)

gas_dispositions = tenant_table(
    "gas_dispositions",
    metadata,
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("day", Date, nullable=True),  # NULL: a monthly entry
    Column("code", Text, nullable=False),
    Column("mcf", VOLUME, nullable=False),
    Column("authority", Text, nullable=True),
    Column("meter_id", Text, nullable=True),
    Column("purchaser", Text, nullable=True),
    Column("comments", Text, nullable=True),
    Column("recorded_by", Text, nullable=False),
    timestamp_column("entered_at"),
    CheckConstraint("mcf >= 0", name="gas_dispositions_mcf"),
    CheckConstraint(
        "(code IN ('10', '11')) = (authority IS NOT NULL)",
        name="gas_dispositions_authority",
    ),
)
Index(
    "gas_dispositions_lease_month",
    gas_dispositions.c.organization_id,
    gas_dispositions.c.lease_id,
    gas_dispositions.c.month,
)
