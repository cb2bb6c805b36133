"""The accounting service's HTTP API: parse, call one use case, shape the answer. Reads need
``accounting:read`` (owner, manager, accountant, auditor); writes ``accounting:write`` (owner, accountant)."""

from .afe_http import afes_router
from .jib_http import jib_router
from .ledger_http import ledger_router
from .owners_http import decks_router, holds_router, partners_router
from .revenue_http import prices_router, revenue_router, suspense_router

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
]
