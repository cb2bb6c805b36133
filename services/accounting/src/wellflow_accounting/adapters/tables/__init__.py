"""The accounting service's tables (SQLAlchemy Core), one module per area. Every table here is a tenant table:
``organization_id`` first in its key and indexes, RLS forced (see the migration). Money is numeric to the cent,
volumes numeric, ownership decimals numeric(10, 8)."""

from __future__ import annotations

from .afes import afe_elections, afe_history, afe_lines, afes, alerts
from .common import MONEY, VOLUME, metadata
from .copies import lease_months, leases, run_tickets, severance_taxes, well_status_history, wells
from .jib import agreements, costs, jib_lines, jib_payments, jib_runs, jib_statements, overhead_adjustments
from .operator import PROFILE_TENANT_TABLES, operator_profiles
from .ownership import deck_lines, decks, partners, title_holds
from .reconciliation import (
    RECON_TENANT_TABLES,
    posted_prices,
    purchaser_properties,
    reconciliation_items,
    reconciliation_settings,
    statement_column_maps,
    statement_imports,
    statement_lines,
)
from .revenue import distribution_runs, distribution_sales, owner_lines, owner_settlements, prices, suspense_entries

TENANT_TABLES = [
    "leases",
    "wells",
    "well_status_history",
    "lease_months",
    "run_tickets",
    "severance_taxes",
    "partners",
    "decks",
    "deck_lines",
    "title_holds",
    "prices",
    "distribution_runs",
    "distribution_sales",
    "owner_lines",
    "owner_settlements",
    "suspense_entries",
    "agreements",
    "overhead_adjustments",
    "costs",
    "jib_runs",
    "jib_lines",
    "jib_statements",
    "jib_payments",
    "afes",
    "afe_lines",
    "afe_elections",
    "afe_history",
    "alerts",
]

__all__ = [
    "MONEY",
    "PROFILE_TENANT_TABLES",
    "RECON_TENANT_TABLES",
    "TENANT_TABLES",
    "VOLUME",
    "afe_elections",
    "afe_history",
    "afe_lines",
    "afes",
    "agreements",
    "alerts",
    "costs",
    "deck_lines",
    "decks",
    "distribution_runs",
    "distribution_sales",
    "jib_lines",
    "jib_payments",
    "jib_runs",
    "jib_statements",
    "lease_months",
    "leases",
    "metadata",
    "operator_profiles",
    "overhead_adjustments",
    "owner_lines",
    "owner_settlements",
    "partners",
    "posted_prices",
    "prices",
    "purchaser_properties",
    "reconciliation_items",
    "reconciliation_settings",
    "run_tickets",
    "severance_taxes",
    "statement_column_maps",
    "statement_imports",
    "statement_lines",
    "suspense_entries",
    "title_holds",
    "well_status_history",
    "wells",
]
