"""The accounting service's HTTP API: parse, call one use case, shape the answer. Reads need
``accounting:read`` (owner, manager, accountant, auditor); writes ``accounting:write`` (owner, accountant)."""

from .afes import afes_router
from .jib import jib_router
from .ledger import ledger_router
from .owners import decks_router, holds_router, partners_router
from .reconciliation import reconciliation_router, statements_router
from .revenue import prices_router, revenue_router, suspense_router

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
    statements_router,
    reconciliation_router,
]
