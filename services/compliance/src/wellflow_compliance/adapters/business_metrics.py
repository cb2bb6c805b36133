"""Compliance's business figures for /metrics, summed over every organization in the background
(``wellflow_servicekit.business``): ``compliance_form_pr_drafts_with_errors`` (Form PR months with a line
that cannot be filed as it is) and ``compliance_submissions{state}`` (filings by state)."""

from __future__ import annotations

from prometheus_client import Gauge
from sqlalchemy import distinct, func, select

from wellflow_servicekit.business import Figure, across_tenants
from wellflow_servicekit.runtime import ServiceRuntime

from .tables import STATES, form_pr_lines, submissions
from .unit_of_work import SqlComplianceWork


async def _tenants(uow: SqlComplianceWork) -> list:
    return await uow.tenants.all_ids()


async def _drafts_with_errors(uow: SqlComplianceWork) -> int:
    query = select(func.count(distinct(form_pr_lines.c.period))).where(form_pr_lines.c.errors > 0)
    return int(await uow.connection.scalar(query) or 0)


async def _submissions_by_state(uow: SqlComplianceWork) -> dict[str, int]:
    query = select(submissions.c.state, func.count()).group_by(submissions.c.state)
    return {state: int(count) for state, count in (await uow.connection.execute(query)).all()}


def register_business_gauges(runtime: ServiceRuntime) -> list[Gauge]:
    async def drafts() -> Figure:
        return await across_tenants(runtime.database, _tenants, _drafts_with_errors)

    async def by_state() -> Figure:
        return await across_tenants(runtime.database, _tenants, _submissions_by_state, keys=STATES)

    return [
        runtime.business_gauge(
            "compliance_form_pr_drafts_with_errors",
            "Form PR reports (one per organization and month) with at least one lease line in error.",
            drafts,
        ),
        runtime.business_gauge(
            "compliance_submissions",
            "Form PR submissions by state (queued, in_flight, awaiting_confirmation, accepted, rejected, failed).",
            by_state,
            labels=["state"],
        ),
    ]
