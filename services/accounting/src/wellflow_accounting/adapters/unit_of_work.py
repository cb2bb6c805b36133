"""Accounting's unit of work: one transaction with every repository of the service."""

from __future__ import annotations

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.repository import repository

from .repositories.afes import SqlAfes, SqlAlerts
from .repositories.agreements import SqlAgreements
from .repositories.copies import SqlLeases, SqlVolumes, SqlWells
from .repositories.costs import SqlCosts
from .repositories.escheat import SqlEscheat
from .repositories.jib import SqlJibPayments, SqlJibRuns
from .repositories.operator import SqlOperatorProfile
from .repositories.owner_law import SqlInformationRequests, SqlLateInterestRates, SqlLatePayments
from .repositories.ownership import SqlDecks, SqlPartners, SqlTitleHolds
from .repositories.payments import SqlPaymentRuns
from .repositories.prices import SqlPrices
from .repositories.reconciliation import SqlReconciliation
from .repositories.revenue import SqlDistributionRuns
from .repositories.suspense import SqlSuspense
from .repositories.tax import SqlTaxReporting


class SqlAccountingWork(UnitOfWork):
    leases = repository(SqlLeases)
    wells = repository(SqlWells)
    volumes = repository(SqlVolumes)
    partners = repository(SqlPartners)
    decks = repository(SqlDecks)
    title_holds = repository(SqlTitleHolds)
    prices = repository(SqlPrices)
    runs = repository(SqlDistributionRuns)
    suspense = repository(SqlSuspense)
    agreements = repository(SqlAgreements)
    costs = repository(SqlCosts)
    jib_runs = repository(SqlJibRuns)
    payments = repository(SqlJibPayments)
    afes = repository(SqlAfes)
    alerts = repository(SqlAlerts)
    operator = repository(SqlOperatorProfile)
    late_rates = repository(SqlLateInterestRates)
    late_payments = repository(SqlLatePayments)
    information_requests = repository(SqlInformationRequests)
    escheat = repository(SqlEscheat)
    tax_reporting = repository(SqlTaxReporting)
    payment_runs = repository(SqlPaymentRuns)
    recon = repository(SqlReconciliation)
