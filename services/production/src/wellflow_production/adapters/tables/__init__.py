"""The production service's tables (SQLAlchemy Core), one module per area.

Every table with ``organization_id`` is a tenant table: ``organization_id`` first in its key and indexes,
RLS enabled and forced (see the migration). The local copies of the asset registry (leases, wells, status
history, batteries, tanks, connected wells, well tests) are written only by the wells-event consumers; they
carry no foreign keys because events of different aggregates may arrive in any order.
``known_organizations`` is not a tenant table: the periodic alert check walks it across tenants.
"""

from __future__ import annotations

from .assets import (
    batteries,
    battery_wells,
    known_organizations,
    leases,
    tanks,
    well_status_history,
    well_tests,
    wells,
)
from .base import PRESSURE, VOLUME, metadata
from .computed import (
    alerts,
    import_errors,
    imports,
    lease_months,
    prices,
    route_assignments,
    run_ticket_rejections,
)
from .field_data import (
    downtime_reasons,
    gas_dispositions,
    idempotency_keys,
    production_settings,
    reading_history,
    readings,
    run_tickets,
    tank_gauges,
)

__all__ = [
    "PRESSURE",
    "TENANT_TABLES",
    "VOLUME",
    "alerts",
    "batteries",
    "battery_wells",
    "downtime_reasons",
    "gas_dispositions",
    "idempotency_keys",
    "import_errors",
    "imports",
    "known_organizations",
    "lease_months",
    "leases",
    "metadata",
    "prices",
    "production_settings",
    "reading_history",
    "readings",
    "route_assignments",
    "run_ticket_rejections",
    "run_tickets",
    "tank_gauges",
    "tanks",
    "well_status_history",
    "well_tests",
    "wells",
]

# The tenant tables revision 0001 creates from these definitions; later revisions create theirs with explicit
# operations (0002: route_assignments; 0004: run_ticket_rejections, prices).
TENANT_TABLES = (
    "leases",
    "wells",
    "well_status_history",
    "batteries",
    "tanks",
    "battery_wells",
    "well_tests",
    "readings",
    "reading_history",
    "idempotency_keys",
    "downtime_reasons",
    "production_settings",
    "tank_gauges",
    "run_tickets",
    "gas_dispositions",
    "lease_months",
    "imports",
    "import_errors",
    "alerts",
)
