"""Tables of what the office decides and what accounting tells compliance: the filing scope (go-live month and
its audit trail, migration 0007) and the copy of accounting's prices (migration 0008). Tenant tables, RLS forced.
They share ``tables.metadata``."""

from __future__ import annotations

from sqlalchemy import Column, Date, Index, Numeric, PrimaryKeyConstraint, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.tables import organization_id_column, timestamp_column, uuid_column

from .tables import VOLUME, metadata

# ---------------------------------------------------------------- the filing scope (migration 0007)
#
# ``filing_scope``: the organization's go-live month (NULL: every obligation counts), set by a person; without a
# row the month the organization's first data arrived is used. ``filing_audit``: who changed the scope, who marked
# an obligation filed outside WellFlow and who undid it, why; rows are only ever added.

filing_scope = Table(
    "filing_scope",
    metadata,
    organization_id_column(),
    Column("go_live_month", Date, nullable=True),
    Column("set_by", Text, nullable=False),
    timestamp_column("set_at"),
    Column("reason", Text, nullable=True),
    PrimaryKeyConstraint("organization_id"),
)

filing_audit = Table(
    "filing_audit",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    timestamp_column("at"),
    Column("by", Text, nullable=False),
    Column("action", Text, nullable=False),  # go_live_set, filed_outside, filed_outside_undone
    Column("obligation_id", UUID(as_uuid=True), nullable=True),
    Column("detail", JSONB, nullable=False),
    PrimaryKeyConstraint("organization_id", "id"),
)
Index("filing_audit_at", filing_audit.c.organization_id, filing_audit.c.at)

SCOPE_TENANT_TABLES = ("filing_scope", "filing_audit")  # created by migration 0007, not 0001

# ---------------------------------------------------------------- accounting's prices (migration 0008)
#
# A copy of accounting's prices (``accounting.price_recorded.v1``): per month and product, for one lease
# (``applies_to`` the lease id) or every lease (``applies_to`` 'all'); the newest recorded wins.

accounting_prices = Table(
    "accounting_prices",
    metadata,
    organization_id_column(),
    Column("month", Date, nullable=False),
    Column("product", Text, nullable=False),  # oil, condensate or gas
    Column("applies_to", Text, nullable=False),
    Column("lease_id", UUID(as_uuid=True), nullable=True),
    Column("price", Numeric(18, 6), nullable=False),
    Column("source", Text, nullable=False),  # entered or purchaser_statement
    Column("volume", VOLUME, nullable=True),
    Column("gross_value", Numeric(18, 2), nullable=True),
    Column("deductions", Numeric(18, 2), nullable=True),
    timestamp_column("recorded_at"),
    PrimaryKeyConstraint("organization_id", "month", "product", "applies_to"),
)

PRICE_TENANT_TABLES = ("accounting_prices",)  # created by migration 0008, not 0001
