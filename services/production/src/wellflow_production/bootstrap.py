"""The composition root: the runtime, the wells-event consumers, the periodic alert check and the app, from
settings. Nothing connects before the app's lifespan starts."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from fastapi import FastAPI

from wellflow_servicekit.auth import TokenVerifier
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .app.assets import register_consumers
from .app.common import Production, utcnow
from .entrypoints.routes import routers
from .settings import ProductionSettings

DESCRIPTION = (
    "Daily field data (readings, tank gauges, run tickets, gas dispositions), allocation, lease-month rollups, "
    "decline forecasts and production alerts."
)


class ProductionRuntime(ServiceRuntime):
    """The service runtime plus the periodic alert check, started after the consumers and stopped before them."""

    production: Production
    alert_interval: float = 0.0

    @contextlib.asynccontextmanager
    async def lifespan(self) -> AsyncIterator[ServiceRuntime]:
        async with super().lifespan() as runtime:
            from .app.alerts import AlertScheduler

            scheduler = AlertScheduler(self.production, interval=self.alert_interval)
            await scheduler.start()
            try:
                yield runtime
            finally:
                await scheduler.stop()


def create_app(
    settings: ProductionSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """``token_verifier`` defaults to a JWKS verifier from the settings; tests pass their own."""
    settings = settings or load_settings_or_exit(ProductionSettings)
    runtime = ProductionRuntime(settings)
    # leave some of the pool's connections to the consumers and the outbox relay (an overflow connection is
    # opened and closed on every checkout)
    gate = max(1, settings.db_pool_size - min(settings.consumer_concurrency, settings.db_pool_size // 3))
    runtime.production = Production(runtime.database, clock=clock, gate_size=gate)
    runtime.alert_interval = settings.alert_check_interval
    register_consumers(runtime.consumers)
    extra = {"token_verifier": token_verifier} if token_verifier is not None else {}
    app = runtime.create_app(
        title="WellFlow production", version=__version__, description=DESCRIPTION, routers=routers, **extra
    )
    app.state.production = runtime.production
    app.state.runtime = runtime
    app.state.settings_max_import_bytes = settings.import_max_bytes
    return app
