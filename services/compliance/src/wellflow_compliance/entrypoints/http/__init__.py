"""The compliance HTTP API, one module per area: parse, call one use case, shape the answer."""

from __future__ import annotations

from .calendar import router as calendar_router
from .form_pr import router as form_pr_router
from .operator import router as settings_router
from .severance import router as tax_router
from .submissions import health_router
from .submissions import router as submissions_router

routers = [settings_router, form_pr_router, tax_router, calendar_router, submissions_router, health_router]

__all__ = ["routers"]
