"""The accounting service's HTTP API: parse, call one use case, shape the answer. Reads need
``accounting:read`` (owner, manager, accountant, auditor); writes ``accounting:write`` (owner, accountant)."""

from .afes import afes_router
from .checks import checks_router
from .jib import jib_router
from .ledger import ledger_router
from .owner_law import escheat_router, information_requests_router, late_payments_router, late_rates_router
from .owners import decks_router, holds_router, partners_router
from .payments import payments_router
from .reconciliation import reconciliation_router, statements_router
from .revenue import prices_router, revenue_router, suspense_router
from .tax1099 import tax_router

routers = [
    partners_router,
    decks_router,
    holds_router,
    prices_router,
    revenue_router,
    suspense_router,
    jib_router,
    afes_router,
    ledger_router,
    late_rates_router,
    late_payments_router,
    information_requests_router,
    escheat_router,
    tax_router,
    payments_router,
    checks_router,
    statements_router,
    reconciliation_router,
]
