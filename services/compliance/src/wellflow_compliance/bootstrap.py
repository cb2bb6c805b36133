"""The composition root, the only place that wires compliance: the runtime on compliance's unit of work,
the use cases' handle, the consumers, the submission machinery (portal adapter, breaker, worker) and the
deadline task, from settings. Nothing connects before the app's lifespan starts.

The breaker is reported on its own probe (`/health/portal`) and in /metrics instead of `/health/ready`: an
open breaker means filings wait in the queue (degraded), not that compliance cannot serve (unready).
"""

from __future__ import annotations

from typing import Any, cast

from fastapi import FastAPI

from wellflow_contracts.events.compliance import FiledVia
from wellflow_servicekit.auth import TokenVerifier
from wellflow_servicekit.background import PeriodicTask
from wellflow_servicekit.kernel import Clock, utcnow
from wellflow_servicekit.pdf import renderer_from
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .adapters.breaker import PortalBreaker
from .adapters.business_metrics import register_business_gauges
from .adapters.metrics import SubmissionMetrics
from .adapters.portal import build_adapter
from .adapters.repositories.submissions import submission_listener
from .adapters.unit_of_work import SqlComplianceWork
from .app.calendar import send_deadline_notices
from .app.common import Compliance
from .app.reports.outcome import record_submission_outcome
from .app.submissions.queries import Submissions
from .app.submissions.worker import SubmissionWorker
from .domain.calendar import CalendarRules
from .entrypoints.consumers import consumers_of
from .entrypoints.http import routers
from .settings import ComplianceSettings

DESCRIPTION = "Form PR drafts, validation and filing with the RRC; severance tax; the filing calendar."


def create_app(
    settings: ComplianceSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    clock: Clock = utcnow,
) -> FastAPI:
    """``token_verifier`` defaults to a JWKS verifier from the settings; tests pass their own (and a clock)."""
    settings = settings or load_settings_or_exit(ComplianceSettings)
    runtime = ServiceRuntime(settings, work_type=SqlComplianceWork)
    register_business_gauges(runtime)
    compliance = Compliance(
        runtime.database,
        clock=clock,
        rules=CalendarRules(form_pr_rule=settings.form_pr_due_rule, holiday_set=settings.form_pr_holidays),
        filed_via=cast(FiledVia, settings.rrc_portal_adapter),  # one of them: the settings check it
    )
    adapter = build_adapter(
        settings.rrc_portal_adapter, settings.rrc_portal_url, timeout_seconds=settings.portal_timeout_seconds
    )
    breaker = PortalBreaker(fail_max=settings.breaker_fail_max, reset_timeout=settings.breaker_reset_timeout_seconds)
    metrics = SubmissionMetrics(runtime.metrics.registry, breaker)
    workers = []
    if settings.submission_worker_enabled and adapter is not None:  # manual: nothing is ever sent
        workers.append(
            SubmissionWorker(
                runtime.database,
                adapter,
                breaker,
                settings,
                on_outcome=record_submission_outcome,
                metrics=metrics,
                listen=submission_listener(settings.database_url),
            )
        )
    submissions = Submissions(
        runtime.database, settings.rrc_portal_adapter, breaker, workers, record_submission_outcome, clock
    )
    deadlines = PeriodicTask(
        "compliance-deadlines",
        lambda: send_deadline_notices(compliance),
        settings.deadline_check_interval_seconds if settings.deadline_task_enabled else 0,
    )
    extra: dict[str, Any] = {"token_verifier": token_verifier} if token_verifier is not None else {}
    pdf = renderer_from(settings)  # PDFs render in a capped worker process, never on the event loop
    return runtime.create_app(
        title="WellFlow compliance",
        version=__version__,
        description=DESCRIPTION,
        routers=routers,
        consumers=consumers_of(compliance),
        # started in order, stopped in reverse: the adapter last
        background=[pdf, *([adapter] if adapter is not None else []), *workers, deadlines],
        state={"compliance": compliance, "submissions": submissions, "settings": settings, "pdf": pdf},
        **extra,
    )
