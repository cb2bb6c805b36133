"""The composition root: the runtime, the use cases' handle, the wells-event consumers, the periodic alert
check and the app, from settings. Nothing connects before the app's lifespan starts."""

from __future__ import annotations

from fastapi import FastAPI

from wellflow_servicekit.auth import TokenVerifier
from wellflow_servicekit.background import PeriodicTask
from wellflow_servicekit.kernel import Clock, utcnow
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .adapters.business_metrics import register_business_gauges
from .adapters.unit_of_work import SqlProductionWork
from .app.alerts import check_yesterday
from .app.common import Production
from .entrypoints.consumers import register_consumers
from .entrypoints.routes import routers
from .settings import ProductionSettings

DESCRIPTION = (
    "Daily field data (readings, tank gauges, run tickets, gas dispositions), allocation, lease-month rollups, "
    "decline forecasts and production alerts."
)


def create_app(
    settings: ProductionSettings | None = None, *, token_verifier: TokenVerifier | None = None, clock: Clock = utcnow
) -> FastAPI:
    """``token_verifier`` defaults to a JWKS verifier from the settings; tests pass their own."""
    settings = settings or load_settings_or_exit(ProductionSettings)
    runtime = ServiceRuntime(settings, work_type=SqlProductionWork)
    # leave some of the pool's connections to the consumers and the outbox relay (an overflow connection is
    # opened and closed on every checkout)
    gate = max(1, settings.db_pool_size - min(settings.consumer_concurrency, settings.db_pool_size // 3))
    production = Production(runtime.database, clock=clock, gate_size=gate)
    register_business_gauges(runtime)
    interval = settings.alert_check_interval
    # yesterday's alerts for every organization, every `interval` seconds (0: off); the first after one interval
    alert_check = PeriodicTask(
        "production-alert-check", lambda: check_yesterday(production), interval, first_after=interval
    )
    extra = {"token_verifier": token_verifier} if token_verifier is not None else {}
    return runtime.create_app(
        title="WellFlow production",
        version=__version__,
        description=DESCRIPTION,
        routers=routers,
        consumers=register_consumers,
        background=[alert_check],
        state={"production": production, "settings_max_import_bytes": settings.import_max_bytes},
        **extra,
    )
