"""Compliance's unit of work: one transaction with every repository of the service on its connection."""

from __future__ import annotations

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.repository import repository

from .repositories.calendar import SqlFilingScope, SqlNotices, SqlObligations
from .repositories.form_pr import SqlAdjustments, SqlLines, SqlReports, SqlVersions
from .repositories.lease_lines import SqlLeaseLines
from .repositories.registry import (
    SqlLeaseMonths,
    SqlLeases,
    SqlLocks,
    SqlOperators,
    SqlRunTickets,
    SqlTenants,
    SqlWells,
)
from .repositories.severance import SqlPrices, SqlReliefs, SqlTaxes
from .repositories.submissions import SqlSubmissions, SqlSubmissionSchedule
from .repositories.valuation import SqlAccountingPrices


class SqlComplianceWork(UnitOfWork):
    locks = repository(SqlLocks)
    tenants = repository(SqlTenants)
    operators = repository(SqlOperators)
    leases = repository(SqlLeases)
    wells = repository(SqlWells)
    lease_months = repository(SqlLeaseMonths)
    lease_lines = repository(SqlLeaseLines)
    run_tickets = repository(SqlRunTickets)
    reports = repository(SqlReports)
    lines = repository(SqlLines)
    adjustments = repository(SqlAdjustments)
    versions = repository(SqlVersions)
    prices = repository(SqlPrices)
    accounting_prices = repository(SqlAccountingPrices)
    reliefs = repository(SqlReliefs)
    taxes = repository(SqlTaxes)
    obligations = repository(SqlObligations)
    scope = repository(SqlFilingScope)
    notices = repository(SqlNotices)
    submissions = repository(SqlSubmissions)
    schedule = repository(SqlSubmissionSchedule)
