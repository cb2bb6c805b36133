"""The composition root: the runtime, the consumers, the deadline task, the submission machinery and the app,
from settings. Nothing connects before the app's lifespan starts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from wellflow_servicekit.auth import TokenVerifier
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .app.calendar import deadline_task
from .app.common import Compliance, utcnow
from .domain.calendar import CalendarRules
from .entrypoints.consumers import register_consumers
from .entrypoints.http import routers
from .settings import ComplianceSettings
from .submission.wiring import install_submissions

DESCRIPTION = "Form PR drafts, validation and filing with the RRC; severance tax; the filing calendar."


def create_app(
    settings: ComplianceSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """``token_verifier`` defaults to a JWKS verifier from the settings; tests pass their own (and a clock)."""
    settings = settings or load_settings_or_exit(ComplianceSettings)
    runtime = ServiceRuntime(settings)
    compliance = Compliance(
        runtime.database,
        clock=clock,
        rules=CalendarRules(form_pr_rule=settings.form_pr_due_rule, holiday_set=settings.form_pr_holidays),
    )
    register_consumers(runtime.consumers, compliance)
    extra = {"token_verifier": token_verifier} if token_verifier is not None else {}
    app = runtime.create_app(
        title="WellFlow compliance", version=__version__, description=DESCRIPTION, routers=routers, **extra
    )
    app.state.compliance = compliance
    app.state.runtime = runtime
    app.state.settings = settings
    if settings.deadline_task_enabled:
        _add_lifespan(app, lambda: deadline_task(compliance, settings.deadline_check_interval_seconds))
    install_submissions(app, runtime, settings)
    return app


def _add_lifespan(app: FastAPI, hook: Callable) -> None:  # type: ignore[type-arg]
    """Run ``hook`` (an async context manager factory) inside the app's lifespan, after the runtime started."""
    inner = app.router.lifespan_context

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app_: FastAPI):  # type: ignore[no-untyped-def]
        async with inner(app_), hook():
            yield

    app.router.lifespan_context = lifespan
