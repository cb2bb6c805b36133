"""In-memory repositories of accounting, each implementing the Protocol of ``app/ports.py`` its SQL twin
implements, and ``FakeAccountingWork`` with all of them: the use cases run on them without PostgreSQL (the
integration tests keep proving the SQL). Rows are confined to the unit of work's tenant, as row-level
security confines the SQL ones.

A few questions only SQL answers well (what changed since finalized runs distributed, a run's statement
lines) are left to the integration tests: those methods raise ``NotImplementedError``."""

from __future__ import annotations

from wellflow_servicekit.repository import repository
from wellflow_servicekit.testing import FakeUnitOfWork

from .afes import InMemoryAfes, InMemoryAlerts
from .copies import InMemoryLeases, InMemoryVolumes, InMemoryWells
from .jib import InMemoryAgreements, InMemoryCosts, InMemoryJibPayments, InMemoryJibRuns
from .operator import InMemoryOperatorProfile
from .owner_law import InMemoryLateInterestRates, InMemoryLatePayments
from .ownership import InMemoryDecks, InMemoryPartners, InMemoryTitleHolds
from .reconciliation import InMemoryReconciliation
from .revenue import InMemoryDistributionRuns, InMemoryPrices, InMemorySuspense


class FakeAccountingWork(FakeUnitOfWork):
    leases = repository(InMemoryLeases)
    wells = repository(InMemoryWells)
    volumes = repository(InMemoryVolumes)
    partners = repository(InMemoryPartners)
    decks = repository(InMemoryDecks)
    title_holds = repository(InMemoryTitleHolds)
    prices = repository(InMemoryPrices)
    runs = repository(InMemoryDistributionRuns)
    suspense = repository(InMemorySuspense)
    agreements = repository(InMemoryAgreements)
    costs = repository(InMemoryCosts)
    jib_runs = repository(InMemoryJibRuns)
    payments = repository(InMemoryJibPayments)
    afes = repository(InMemoryAfes)
    alerts = repository(InMemoryAlerts)
    operator = repository(InMemoryOperatorProfile)
    late_rates = repository(InMemoryLateInterestRates)
    late_payments = repository(InMemoryLatePayments)
    recon = repository(InMemoryReconciliation)
