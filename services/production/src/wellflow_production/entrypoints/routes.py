"""Every router the production service serves, in one list for the composition root."""

from __future__ import annotations

from .computed_http import alerts_router, allocations_router, forecasts_router
from .field_http import gauges_router, production_router, tickets_router
from .http import imports_router, readings_router, settings_router
from .oversight_http import oversight_router
from .rejections_http import rejections_router
from .route_http import route_router

routers = [
    imports_router,
    readings_router,
    settings_router,
    gauges_router,
    tickets_router,
    production_router,
    allocations_router,
    forecasts_router,
    alerts_router,
    route_router,
    oversight_router,
    rejections_router,
]
