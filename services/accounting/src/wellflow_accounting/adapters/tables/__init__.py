"""The accounting service's tables (SQLAlchemy Core), one module per area. Every table here is a tenant table:
``organization_id`` first in its key and indexes, RLS forced (see the migration). Money is numeric to the cent,
volumes numeric, ownership decimals numeric(10, 8). Two tables are shared, not tenant data:
``owner_law.OWNER_LAW_SHARED_TABLES``."""

from __future__ import annotations

from .afes import afe_elections, afe_history, afe_lines, afes, alerts
from .common import MONEY, VOLUME, metadata
from .copies import lease_months, leases, run_tickets, severance_taxes, well_status_history, wells
from .jib import agreements, costs, jib_lines, jib_payments, jib_runs, jib_statements, overhead_adjustments
from .operator import PROFILE_TENANT_TABLES, operator_profiles
from .owner_law import (
    OWNER_LAW_SHARED_TABLES,
    OWNER_LAW_TENANT_TABLES,
    escheat_letters,
    escheat_reports,
    fed_primary_credit_rates,
    information_requests,
    late_interest_rates,
    late_payment_notices,
    owner_law_tenants,
)
from .ownership import deck_lines, decks, partners, title_holds
from .payments import (
    PAYMENT_TENANT_TABLES,
    ach_prenotes,
    payment_lines,
    payment_runs,
    payment_settings,
    payments,
)
from .revenue import distribution_runs, distribution_sales, owner_lines, owner_settlements, prices, suspense_entries
from .tax import (
    TAX_TENANT_TABLES,
    form_1099_filed_returns,
    form_1099_filings,
    form_1099_outside_payments,
    tax_filer_settings,
)

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
    "OWNER_LAW_SHARED_TABLES",
    "OWNER_LAW_TENANT_TABLES",
    "PAYMENT_TENANT_TABLES",
    "PROFILE_TENANT_TABLES",
    "TAX_TENANT_TABLES",
    "TENANT_TABLES",
    "VOLUME",
    "ach_prenotes",
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
    "escheat_letters",
    "escheat_reports",
    "fed_primary_credit_rates",
    "form_1099_filed_returns",
    "form_1099_filings",
    "form_1099_outside_payments",
    "information_requests",
    "jib_lines",
    "jib_payments",
    "jib_runs",
    "jib_statements",
    "late_interest_rates",
    "late_payment_notices",
    "lease_months",
    "leases",
    "metadata",
    "operator_profiles",
    "overhead_adjustments",
    "owner_law_tenants",
    "owner_lines",
    "owner_settlements",
    "partners",
    "payment_lines",
    "payment_runs",
    "payment_settings",
    "payments",
    "prices",
    "run_tickets",
    "severance_taxes",
    "suspense_entries",
    "tax_filer_settings",
    "title_holds",
    "well_status_history",
    "wells",
]
