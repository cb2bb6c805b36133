"""The local copies of the asset registry, written only by the wells-event consumers (no foreign keys: events
of different aggregates may arrive in any order), and the organizations production has heard of
(``known_organizations`` is not a tenant table: the periodic alert check walks it across tenants)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Numeric,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.tables import lease_copy_table, tenant_table, timestamp_column, uuid_column, well_copy_table

from .base import VOLUME, metadata

leases = lease_copy_table(metadata)

wells = well_copy_table(
    metadata,
    Column("name", Text, nullable=False),
    Column("well_type", Text, nullable=False),
)
Index("wells_api_number", wells.c.organization_id, wells.c.api_number, unique=True)

well_status_history = tenant_table(
    "well_status_history",
    metadata,
    uuid_column("event_id"),
    uuid_column("well_id"),
    Column("from_status", Text, nullable=True),
    Column("to_status", Text, nullable=False),
    Column("effective_date", Date, nullable=False),
    timestamp_column("occurred_at"),
    key=("event_id",),
)
Index(
    "well_status_history_well",
    well_status_history.c.organization_id,
    well_status_history.c.well_id,
)

batteries = tenant_table(
    "batteries",
    metadata,
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("code", Text, nullable=True),
    uuid_column("lease_id", nullable=True),
    timestamp_column("updated_at"),
)

tanks = tenant_table(
    "tanks",
    metadata,
    uuid_column("id"),
    uuid_column("battery_id"),
    Column("number", Text, nullable=False),
    Column("product", Text, nullable=False),
    Column("capacity_bbl", VOLUME, nullable=False),
    Column("strapping", JSONB, nullable=False),  # [[level_inches, barrels], ...] as decimal strings
    Column("active", Boolean, nullable=False),
)
Index("tanks_battery", tanks.c.organization_id, tanks.c.battery_id)

battery_wells = tenant_table(
    "battery_wells",
    metadata,
    uuid_column("battery_id"),
    uuid_column("well_id"),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date, nullable=True),  # exclusive; NULL while connected
    key=("battery_id", "well_id", "effective_from"),
)
Index("battery_wells_well", battery_wells.c.organization_id, battery_wells.c.well_id)

well_tests = tenant_table(
    "well_tests",
    metadata,
    uuid_column("id"),
    uuid_column("well_id"),
    Column("test_date", Date, nullable=False),
    Column("oil_bbl_per_day", VOLUME, nullable=False),
    Column("gas_mcf_per_day", VOLUME, nullable=False),
    Column("water_bbl_per_day", VOLUME, nullable=False),
    Column("hours", Numeric(6, 2), nullable=False),
)
Index(
    "well_tests_well_date",
    well_tests.c.organization_id,
    well_tests.c.well_id,
    well_tests.c.test_date,
)

known_organizations = Table(
    "known_organizations",
    metadata,
    Column("tenant_id", UUID(as_uuid=True), primary_key=True),
    timestamp_column("first_seen_at"),
)
