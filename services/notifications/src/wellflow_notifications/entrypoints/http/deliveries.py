"""The organization's emails and SMS: every delivery with its state, the failed ones (the dead-letter view), a
failed one sent again, and the suppressed addresses (bounces, opt-outs)."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from wellflow_servicekit.pages import Page

from ...app import admin
from .. import schemas
from .common import Limit, NotificationsDep, Offset, Overseer, Owner, page_of

deliveries_router = APIRouter(prefix="/api/v1/notifications", tags=["notification deliveries"])
Status = Literal["pending", "digest", "digested", "sent", "failed", "suppressed"]


@deliveries_router.get("/deliveries", response_model=Page[schemas.DeliveryRead])
async def list_deliveries(
    actor: Overseer,
    n: NotificationsDep,
    status: Annotated[Status | None, Query(description="failed: the dead-letter view")] = None,
    channel: Annotated[Literal["email", "sms"] | None, Query()] = None,
    member_id: UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    page = await admin.list_deliveries(
        n, actor, status=status, channel=channel, member_id=member_id, limit=limit, offset=offset
    )
    return page_of(page)


@deliveries_router.get("/deliveries/{delivery_id}", response_model=schemas.DeliveryDetail)
async def get_delivery(delivery_id: UUID, actor: Overseer, n: NotificationsDep) -> Any:
    return await admin.get_delivery(n, actor, delivery_id)


@deliveries_router.post("/deliveries/{delivery_id}/retry", response_model=schemas.DeliveryRead)
async def retry_delivery(delivery_id: UUID, actor: Owner, n: NotificationsDep) -> Any:
    return await admin.retry_delivery(n, actor, delivery_id)


@deliveries_router.get("/suppressions", response_model=Page[schemas.SuppressionRead])
async def list_suppressions(actor: Overseer, n: NotificationsDep, limit: Limit = 50, offset: Offset = 0) -> Any:
    return page_of(await admin.list_suppressions(n, actor, limit=limit, offset=offset))


@deliveries_router.delete("/suppressions/{channel}/{address}", status_code=204)
async def remove_suppression(
    channel: Literal["email", "sms"], address: str, actor: Owner, n: NotificationsDep
) -> Response:
    await admin.remove_suppression(n, actor, channel, address)
    return Response(status_code=204)
