"""Notifications' business figure for /metrics, ``notifications_deliveries_failed{channel}``: emails and SMS given
up on (retried for a day, refused by the provider, bounced) and not sent again yet, summed over every organization
in the background (``wellflow_servicekit.business``). A relay or provider that stopped taking our mail shows as a
rise here before anyone wonders why nothing arrives."""

from __future__ import annotations

from prometheus_client import Gauge
from sqlalchemy import func, select

from wellflow_servicekit.business import Figure, across_tenants
from wellflow_servicekit.runtime import ServiceRuntime

from ..domain.kinds import EMAIL, SMS
from .tables import deliveries
from .unit_of_work import SqlNotificationsWork


async def _organizations(uow: SqlNotificationsWork) -> list:
    return await uow.tenants.organizations()


async def _failed_by_channel(uow: SqlNotificationsWork) -> dict[str, int]:
    # on deliveries_status (organization_id, status, created_at)
    query = (
        select(deliveries.c.channel, func.count()).where(deliveries.c.status == "failed").group_by(deliveries.c.channel)
    )
    return {channel: int(count) for channel, count in (await uow.connection.execute(query)).all()}


def register_business_gauges(runtime: ServiceRuntime) -> list[Gauge]:
    async def failed() -> Figure:
        return await across_tenants(runtime.database, _organizations, _failed_by_channel, keys=(EMAIL, SMS))

    return [
        runtime.business_gauge(
            "notifications_deliveries_failed",
            "Emails and SMS given up on and not sent again (an owner can retry them), all organizations.",
            failed,
            labels=["channel"],
            interval=60,
        )
    ]
