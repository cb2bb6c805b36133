"""The composition root: the runtime, the consumers, the use cases' handle and the app, from settings."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from wellflow_servicekit.auth import TokenVerifier
from wellflow_servicekit.background import PeriodicTask
from wellflow_servicekit.kernel import Clock, utcnow
from wellflow_servicekit.pdf import renderer_from
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .adapters.business_metrics import register_business_gauges
from .adapters.unit_of_work import SqlAccountingWork
from .app.context import Accounting
from .app.owner_law.clock import daily_late_check
from .entrypoints.consumers import register_consumers
from .entrypoints.http import routers
from .settings import AccountingSettings

DESCRIPTION = (
    "Partners and owners, ownership decks, prices, revenue distribution with owner statements and suspense, "
    "joint interest billing, AFEs and the general-ledger export."
)


def create_app(
    settings: AccountingSettings | None = None,
    *,
    clock: Clock = utcnow,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    """``token_verifier`` defaults to a JWKS verifier from the settings; tests pass their own."""
    settings = settings or load_settings_or_exit(AccountingSettings)
    runtime = ServiceRuntime(settings, work_type=SqlAccountingWork)
    accounting = Accounting(runtime.database, clock=clock, suspense=settings.suspense_rules)
    register_business_gauges(runtime)
    extra: dict[str, Any] = {"token_verifier": token_verifier} if token_verifier is not None else {}
    pdf = renderer_from(settings)  # statements render in a capped worker process, never on the event loop
    late_check = PeriodicTask(
        "accounting-late-payments",
        lambda: daily_late_check(accounting),
        settings.late_payment_check_interval_seconds,
        first_after=60,
    )
    return runtime.create_app(
        title="WellFlow accounting",
        version=__version__,
        description=DESCRIPTION,
        routers=routers,
        consumers=register_consumers,
        background=[pdf, late_check],
        state={"accounting": accounting, "pdf": pdf},
        **extra,
    )
