"""Production's business figures for /metrics (``production_readings_recorded_last_hour``), summed over every
known organization in the background (``wellflow_servicekit.business``): a pumper route that stops
reporting shows as a fall here before anyone calls."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import Gauge
from sqlalchemy import func, select

from wellflow_servicekit.business import Figure, across_tenants
from wellflow_servicekit.runtime import ServiceRuntime

from .tables import known_organizations, readings
from .unit_of_work import SqlProductionWork


async def _known(uow: SqlProductionWork) -> list:
    return list((await uow.connection.execute(select(known_organizations.c.tenant_id))).scalars())


async def _entered_last_hour(uow: SqlProductionWork) -> int:
    # No index leads with entered_at: this reads the organization's readings through an index that starts with
    # organization_id, which is why the gauge is read every 5 minutes rather than every minute.
    since = func.now() - timedelta(hours=1)
    query = select(func.count()).select_from(readings).where(readings.c.entered_at >= since)
    return int(await uow.connection.scalar(query) or 0)


def register_business_gauges(runtime: ServiceRuntime) -> list[Gauge]:
    async def readings_last_hour() -> Figure:
        return await across_tenants(runtime.database, _known, _entered_last_hour)

    return [
        runtime.business_gauge(
            "production_readings_recorded_last_hour",
            "Daily readings entered in the last hour (API, pumper sync and imports), all organizations.",
            readings_last_hour,
            interval=300,
        )
    ]
