"""Accounting's business figure for /metrics, ``accounting_payment_runs_pending_approval``: payment runs built
and not yet approved (nor cancelled), summed over every organization in the background
(``wellflow_servicekit.business``). Owners are paid late while a run waits; a figure that stays up says so."""

from __future__ import annotations

from prometheus_client import Gauge
from sqlalchemy import func, select

from wellflow_servicekit.business import Figure, across_tenants
from wellflow_servicekit.runtime import ServiceRuntime

from .tables import payment_runs
from .unit_of_work import SqlAccountingWork


async def _organizations(uow: SqlAccountingWork) -> list:
    # organizations with a finalized revenue run or a payment run (owner_law_tenants)
    return await uow.late_payments.tenant_ids()


async def _pending_approval(uow: SqlAccountingWork) -> int:
    # a draft is a run waiting for its approval (or its second approval); on payment_runs_created
    query = select(func.count()).select_from(payment_runs).where(payment_runs.c.status == "draft")
    return int(await uow.connection.scalar(query) or 0)


def register_business_gauges(runtime: ServiceRuntime) -> list[Gauge]:
    async def pending() -> Figure:
        return await across_tenants(runtime.database, _organizations, _pending_approval)

    return [
        runtime.business_gauge(
            "accounting_payment_runs_pending_approval",
            "Payment runs built and waiting for approval, all organizations.",
            pending,
            interval=60,
        )
    ]
