"""The operator's own profile, as identity publishes it (``identity.organization_updated.v1``): one row per
organization, printed on owner statements, check stubs and JIB statements. Created by migration 0003."""

from __future__ import annotations

from sqlalchemy import Column, Integer, LargeBinary, PrimaryKeyConstraint, Text

from wellflow_servicekit.tables import tenant_table, timestamp_column

from .common import metadata

operator_profiles = tenant_table(
    "operator_profiles",
    metadata,
    Column("version", Integer, nullable=False),  # identity's profile version: only a higher one replaces the row
    Column("name", Text, nullable=False),
    Column("legal_name", Text, nullable=True),
    Column("address_line1", Text, nullable=True),
    Column("address_line2", Text, nullable=True),
    Column("city", Text, nullable=True),
    Column("state", Text, nullable=True),
    Column("postal_code", Text, nullable=True),
    Column("phone", Text, nullable=True),
    Column("email", Text, nullable=True),
    Column("rrc_operator_number", Text, nullable=True),
    Column("logo", LargeBinary, nullable=True),
    Column("logo_content_type", Text, nullable=True),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id"),
    key=(),
)

PROFILE_TENANT_TABLES = ("operator_profiles",)  # created by migration 0003, not 0001
