"""Purchaser statements (column maps, the property cross-reference, imports and their lines), posted price
ranges, reconciliation tolerances and reconciliation items. Created by migration 0007, not 0001
(``RECON_TENANT_TABLES``)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import decimal_column, tenant_table, timestamp_column, uuid_column

from .common import MONEY, VOLUME, metadata

statement_column_maps = tenant_table(
    "statement_column_maps",
    metadata,
    uuid_column("id"),
    uuid_column("purchaser_id"),
    Column("name", Text, nullable=False),
    Column("layout", JSONB, nullable=False),  # columns, deductions, taxes, products, date format, delimiter
    Column("created_by", Text, nullable=False),
    timestamp_column("updated_at"),
    UniqueConstraint("organization_id", "purchaser_id", "name", name="statement_column_maps_name"),
)

purchaser_properties = tenant_table(
    "purchaser_properties",
    metadata,
    uuid_column("purchaser_id"),
    Column("property_number", Text, nullable=False),
    uuid_column("lease_id"),
    Column("mapped_by", Text, nullable=False),
    timestamp_column("mapped_at"),
    key=("purchaser_id", "property_number"),
)

statement_imports = tenant_table(
    "statement_imports",
    metadata,
    uuid_column("id"),
    uuid_column("purchaser_id"),
    uuid_column("map_id"),
    Column("content_hash", Text, nullable=False),
    Column("file_name", Text, nullable=True),
    Column("report", JSONB, nullable=False),
    Column("imported_by", Text, nullable=False),
    timestamp_column("created_at"),
    UniqueConstraint("organization_id", "content_hash", name="statement_imports_content"),
)

statement_lines = tenant_table(
    "statement_lines",
    metadata,
    uuid_column("id"),
    uuid_column("import_id"),
    Column("line_number", Integer, nullable=False),
    uuid_column("purchaser_id"),
    Column("check_number", Text, nullable=False),
    Column("check_date", Date, nullable=True),
    Column("property_number", Text, nullable=False),
    Column("property_name", Text, nullable=True),
    Column("well_number", Text, nullable=True),
    Column("ticket_number", Text, nullable=True),
    uuid_column("lease_id", nullable=True),  # NULL: held until the property number is mapped
    Column("month", Date, nullable=False),
    Column("product", Text, nullable=False),
    decimal_column("volume", VOLUME),
    Column("gravity", Numeric(8, 2), nullable=True),
    Column("btu", Numeric(10, 4), nullable=True),
    Column("price", Numeric(12, 4), nullable=False),
    decimal_column("gross_value", MONEY),
    Column("deductions", JSONB, nullable=False),  # name -> dollars (text)
    decimal_column("deductions_total", MONEY),
    Column("taxes", JSONB, nullable=False),  # name -> dollars withheld by the purchaser (text)
    decimal_column("taxes_withheld", MONEY),
    decimal_column("net_value", MONEY),
    Column("owner_interest", Numeric(10, 8), nullable=True),
    CheckConstraint("product IN ('oil', 'gas', 'condensate')", name="statement_line_product"),
    UniqueConstraint("organization_id", "purchaser_id", "check_number", "line_number", name="statement_line_once"),
)
Index(
    "statement_lines_lease_month",
    statement_lines.c.organization_id,
    statement_lines.c.lease_id,
    statement_lines.c.month,
)
Index(
    "statement_lines_held",
    statement_lines.c.organization_id,
    statement_lines.c.purchaser_id,
    statement_lines.c.property_number,
    postgresql_where=statement_lines.c.lease_id.is_(None),
)

posted_prices = tenant_table(
    "posted_prices",
    metadata,
    Column("month", Date, nullable=False),
    Column("product", Text, nullable=False),
    Column("low", Numeric(12, 4), nullable=False),
    Column("high", Numeric(12, 4), nullable=False),
    Column("source", Text, nullable=False),
    Column("entered_by", Text, nullable=False),
    timestamp_column("entered_at"),
    CheckConstraint("low <= high", name="posted_price_range"),
    key=("month", "product"),
)

reconciliation_settings = tenant_table(
    "reconciliation_settings",
    metadata,
    Column("values", JSONB, nullable=False),
    Column("updated_by", Text, nullable=False),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id"),  # one row per organization
    key=(),
)

reconciliation_items = tenant_table(
    "reconciliation_items",
    metadata,
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("key", Text, nullable=False),  # cause:subject, one item per lease-month
    Column("cause", Text, nullable=False),
    Column("product", Text, nullable=True),
    Column("state", Text, nullable=False),
    Column("message", Text, nullable=False),
    decimal_column("expected", MONEY, nullable=True),
    decimal_column("actual", MONEY, nullable=True),
    decimal_column("difference", MONEY, nullable=True),
    Column("unit", Text, nullable=True),
    Column("links", JSONB, nullable=False),
    Column("assignee", Text, nullable=True),
    Column("resolution", Text, nullable=True),
    Column("resolved_by", Text, nullable=True),
    timestamp_column("resolved_at", nullable=True),
    timestamp_column("raised_at"),
    timestamp_column("updated_at"),
    CheckConstraint("state IN ('open', 'resolved', 'cleared')", name="reconciliation_item_state"),
    UniqueConstraint("organization_id", "lease_id", "month", "key", name="reconciliation_item_once"),
)
Index("reconciliation_items_month", reconciliation_items.c.organization_id, reconciliation_items.c.month)

RECON_TENANT_TABLES = (
    "statement_column_maps",
    "purchaser_properties",
    "statement_imports",
    "statement_lines",
    "posted_prices",
    "reconciliation_settings",
    "reconciliation_items",
)  # created by migration 0007, not 0001
