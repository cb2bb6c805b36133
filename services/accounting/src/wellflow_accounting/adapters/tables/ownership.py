"""Partners and ownership: partners, ownership decks with their lines, title holds."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Numeric,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY

from wellflow_servicekit.tables import tenant_table, timestamp_column, uuid_column

from .common import metadata

partners = tenant_table(
    "partners",
    metadata,
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("roles", ARRAY(Text), nullable=False),
    Column("email", Text, nullable=True),
    Column("phone", Text, nullable=True),
    Column("address_line1", Text, nullable=True),
    Column("address_line2", Text, nullable=True),
    Column("city", Text, nullable=True),
    Column("state", Text, nullable=True),
    Column("postal_code", Text, nullable=True),
    Column("payment_method", Text, nullable=False),
    Column("bank_name", Text, nullable=True),
    Column("bank_routing_number", Text, nullable=True),
    Column("bank_account_number", Text, nullable=True),
    Column("bank_account_type", Text, nullable=True),  # checking or savings (ACH transaction code 22 or 32); 0004
    Column("tax_id", Text, nullable=True),  # nine digits; never answered unmasked
    # 1099 tax identity (0006): the TIN's type, the IRS "B" notices, the last certification, exempt payee
    Column("tin_type", Text, nullable=True),  # ssn (also ITIN) or ein
    Column("b_notice_on", Date, nullable=True),
    Column("tin_certified_on", Date, nullable=True),
    Column("second_b_notice", Boolean, nullable=False, server_default=text("false")),
    Column("exempt_from_1099", Boolean, nullable=False, server_default=text("false")),
    Column("owner_number", Text, nullable=True),
    Column("status", Text, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    UniqueConstraint("organization_id", "owner_number", name="partners_owner_number_unique"),
    CheckConstraint("kind IN ('company', 'individual')", name="partner_kind"),
    CheckConstraint("status IN ('active', 'inactive')", name="partner_status"),
    CheckConstraint("tin_type IS NULL OR tin_type IN ('ssn', 'ein')", name="partner_tin_type"),
)
Index("partners_name", partners.c.organization_id, partners.c.name)

decks = tenant_table(
    "decks",
    metadata,
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("kind", Text, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date, nullable=True),  # exclusive
    Column("note", Text, nullable=True),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    CheckConstraint("kind IN ('revenue', 'cost')", name="deck_kind"),
    CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="deck_period"),
)
Index("decks_lease", decks.c.organization_id, decks.c.lease_id, decks.c.kind, decks.c.effective_from)

deck_lines = tenant_table(
    "deck_lines",
    metadata,
    uuid_column("deck_id"),
    uuid_column("partner_id"),
    Column("interest_type", Text, nullable=False),
    Column("decimal", Numeric(10, 8), nullable=False),
    # A cost-free royalty bears none of the lease's deductions (docs/owner-payment-law.md); added by migration 0005.
    Column("cost_free", Boolean, nullable=False, server_default=text("false")),
    ForeignKeyConstraint(["organization_id", "deck_id"], ["decks.organization_id", "decks.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    key=("deck_id", "partner_id", "interest_type"),
)
Index("deck_lines_partner", deck_lines.c.organization_id, deck_lines.c.partner_id)

title_holds = tenant_table(
    "title_holds",
    metadata,
    uuid_column("partner_id"),
    uuid_column("lease_id"),
    Column("status", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("changed_by", Text, nullable=False),
    timestamp_column("changed_at"),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    CheckConstraint("status IN ('pay', 'suspend')", name="title_hold_status"),
    CheckConstraint("status = 'pay' OR reason IS NOT NULL", name="suspend_has_reason"),
    key=("partner_id", "lease_id"),
)
