"""The wells service's tables (SQLAlchemy Core). Every table is a tenant table: ``organization_id`` first in
its key and indexes, RLS forced (see the migration)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    MetaData,
    Numeric,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import tenant_table, timestamp_column, uuid_column

metadata = MetaData()


fields = tenant_table(
    "fields",
    metadata,
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("code", Text, nullable=True),
    Column("basin", Text, nullable=True),
    Column("county", Text, nullable=True),
    Column("state", Text, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    UniqueConstraint("organization_id", "code", name="fields_code_unique"),
)

leases = tenant_table(
    "leases",
    metadata,
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("rrc_district", Text, nullable=False),
    Column("rrc_lease_number", Text, nullable=True),  # NULL: pending (reported by API or permit number)
    Column("lease_type", Text, nullable=False),
    uuid_column("field_id", nullable=True),
    Column("county", Text, nullable=True),
    Column("lessor", Text, nullable=True),
    Column("effective_date", Date, nullable=True),
    Column("expiration_date", Date, nullable=True),
    Column("royalty_rate", Numeric(10, 8), nullable=True),
    Column("legal_description", Text, nullable=True),
    Column("status", Text, nullable=False),
    Column("purchasers", JSONB, nullable=True),  # Form P-4 [{product, role, name, p5_number, dates}] (0002)
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    ForeignKeyConstraint(["organization_id", "field_id"], ["fields.organization_id", "fields.id"]),
    UniqueConstraint("organization_id", "rrc_district", "rrc_lease_number", name="leases_rrc_number_unique"),
    CheckConstraint("lease_type IN ('oil', 'gas')", name="lease_type"),
    CheckConstraint("royalty_rate IS NULL OR (royalty_rate >= 0 AND royalty_rate <= 1)", name="royalty_rate"),
)
Index("leases_field", leases.c.organization_id, leases.c.field_id)

wells = tenant_table(
    "wells",
    metadata,
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("number", Text, nullable=True),
    Column("api_number", Text, nullable=False),  # 14 digits
    uuid_column("lease_id"),
    uuid_column("field_id", nullable=True),
    Column("county", Text, nullable=True),
    Column("well_type", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("spud_date", Date, nullable=True),
    Column("completion_date", Date, nullable=True),
    Column("first_production_date", Date, nullable=True),
    Column("plugged_date", Date, nullable=True),
    Column("surface_latitude", Numeric(10, 7), nullable=True),
    Column("surface_longitude", Numeric(10, 7), nullable=True),
    Column("bottom_latitude", Numeric(10, 7), nullable=True),
    Column("bottom_longitude", Numeric(10, 7), nullable=True),
    Column("total_depth_ft", Numeric(10, 2), nullable=True),
    Column("true_vertical_depth_ft", Numeric(10, 2), nullable=True),
    Column("is_horizontal", Boolean, nullable=False),
    Column("is_offshore", Boolean, nullable=False),
    Column("gas_well_id", Text, nullable=True),
    Column("permit_number", Text, nullable=True),  # drilling permit (W-1) number (0002)
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    ForeignKeyConstraint(["organization_id", "lease_id"], ["leases.organization_id", "leases.id"]),
    ForeignKeyConstraint(["organization_id", "field_id"], ["fields.organization_id", "fields.id"]),
    UniqueConstraint("organization_id", "api_number", name="wells_api_number_unique"),
    CheckConstraint("api_number ~ '^[0-9]{14}$'", name="api_number_digits"),
)
Index("wells_lease_status", wells.c.organization_id, wells.c.lease_id, wells.c.status, wells.c.name)
Index("wells_status_name", wells.c.organization_id, wells.c.status, wells.c.name)
Index("wells_field", wells.c.organization_id, wells.c.field_id)

well_status_history = tenant_table(
    "well_status_history",
    metadata,
    uuid_column("id"),
    uuid_column("well_id"),
    Column("from_status", Text, nullable=True),
    Column("to_status", Text, nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("reason", Text, nullable=True),
    Column("changed_by", Text, nullable=False),
    timestamp_column("changed_at"),
    ForeignKeyConstraint(["organization_id", "well_id"], ["wells.organization_id", "wells.id"]),
)
Index("well_status_history_well", well_status_history.c.organization_id, well_status_history.c.well_id)


batteries = tenant_table(
    "batteries",
    metadata,
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("code", Text, nullable=True),
    uuid_column("lease_id", nullable=True),
    uuid_column("field_id", nullable=True),
    Column("status", Text, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    ForeignKeyConstraint(["organization_id", "lease_id"], ["leases.organization_id", "leases.id"]),
    ForeignKeyConstraint(["organization_id", "field_id"], ["fields.organization_id", "fields.id"]),
    UniqueConstraint("organization_id", "code", name="batteries_code_unique"),
)

tanks = tenant_table(
    "tanks",
    metadata,
    uuid_column("id"),
    uuid_column("battery_id"),
    Column("number", Text, nullable=False),
    Column("product", Text, nullable=False),
    Column("capacity_bbl", Numeric(12, 2), nullable=False),
    Column("strapping", JSONB, nullable=False),  # [[level_inches, barrels], ...] as decimal strings
    ForeignKeyConstraint(["organization_id", "battery_id"], ["batteries.organization_id", "batteries.id"]),
    UniqueConstraint("organization_id", "battery_id", "number", name="tanks_number_unique"),
)

battery_wells = tenant_table(
    "battery_wells",
    metadata,
    uuid_column("id"),
    uuid_column("battery_id"),
    uuid_column("well_id"),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date, nullable=True),  # exclusive; NULL while connected
    ForeignKeyConstraint(["organization_id", "battery_id"], ["batteries.organization_id", "batteries.id"]),
    ForeignKeyConstraint(["organization_id", "well_id"], ["wells.organization_id", "wells.id"]),
    CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="battery_wells_period"),
)
Index("battery_wells_well", battery_wells.c.organization_id, battery_wells.c.well_id)
Index("battery_wells_battery", battery_wells.c.organization_id, battery_wells.c.battery_id)

well_tests = tenant_table(
    "well_tests",
    metadata,
    uuid_column("id"),
    uuid_column("well_id"),
    Column("test_date", Date, nullable=False),
    Column("oil_bbl_per_day", Numeric(12, 2), nullable=False),
    Column("gas_mcf_per_day", Numeric(12, 2), nullable=False),
    Column("water_bbl_per_day", Numeric(12, 2), nullable=False),
    Column("hours", Numeric(5, 2), nullable=False),
    Column("notes", Text, nullable=True),
    Column("recorded_by", Text, nullable=False),
    timestamp_column("recorded_at"),
    ForeignKeyConstraint(["organization_id", "well_id"], ["wells.organization_id", "wells.id"]),
    CheckConstraint("hours > 0 AND hours <= 72", name="well_tests_hours"),
)
Index("well_tests_well_date", well_tests.c.organization_id, well_tests.c.well_id, well_tests.c.test_date)

equipment = tenant_table(
    "equipment",
    metadata,
    uuid_column("id"),
    Column("tag", Text, nullable=False),
    Column("equipment_type", Text, nullable=False),
    Column("manufacturer", Text, nullable=True),
    Column("model", Text, nullable=True),
    Column("serial_number", Text, nullable=True),
    uuid_column("well_id", nullable=True),
    uuid_column("battery_id", nullable=True),
    Column("install_date", Date, nullable=True),
    Column("last_maintenance_date", Date, nullable=True),
    Column("next_maintenance_date", Date, nullable=True),
    timestamp_column("created_at"),
    ForeignKeyConstraint(["organization_id", "well_id"], ["wells.organization_id", "wells.id"]),
    ForeignKeyConstraint(["organization_id", "battery_id"], ["batteries.organization_id", "batteries.id"]),
    UniqueConstraint("organization_id", "tag", name="equipment_tag_unique"),
)

permits = tenant_table(
    "permits",
    metadata,
    uuid_column("id"),
    Column("permit_number", Text, nullable=False),
    Column("permit_type", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("agency", Text, nullable=False),
    uuid_column("well_id", nullable=True),
    uuid_column("battery_id", nullable=True),
    Column("application_date", Date, nullable=True),
    Column("approval_date", Date, nullable=True),
    Column("expiration_date", Date, nullable=True),
    timestamp_column("created_at"),
    ForeignKeyConstraint(["organization_id", "well_id"], ["wells.organization_id", "wells.id"]),
    ForeignKeyConstraint(["organization_id", "battery_id"], ["batteries.organization_id", "batteries.id"]),
    UniqueConstraint("organization_id", "agency", "permit_number", name="permits_number_unique"),
)
Index("permits_expiration", permits.c.organization_id, permits.c.expiration_date)

TENANT_TABLES = (
    "fields",
    "leases",
    "wells",
    "well_status_history",
    "batteries",
    "tanks",
    "battery_wells",
    "well_tests",
    "equipment",
    "permits",
)
