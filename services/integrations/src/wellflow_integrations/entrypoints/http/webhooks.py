"""Webhooks: endpoints (an owner registers and changes them; the secret is shown once), deliveries with
their attempts, a re-send of one delivery, a replay of everything since a moment."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from wellflow_servicekit.pages import Page

from ...app import deliveries, endpoints
from .. import schemas
from .common import IntegrationsDep, Limit, Offset, Owner, Reader, page_of

webhooks_router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


@webhooks_router.post("/endpoints", status_code=201, response_model=schemas.WebhookEndpointCreated)
async def create_webhook_endpoint(
    body: schemas.WebhookEndpointCreate, actor: Owner, integrations: IntegrationsDep
) -> Any:
    return await endpoints.register_endpoint(integrations, actor, body.model_dump())


@webhooks_router.get("/endpoints", response_model=Page[schemas.WebhookEndpointRead])
async def list_webhook_endpoints(
    actor: Reader, integrations: IntegrationsDep, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return page_of(await endpoints.list_endpoints(integrations, actor, limit=limit, offset=offset))


@webhooks_router.get("/endpoints/{endpoint_id}", response_model=schemas.WebhookEndpointRead)
async def get_webhook_endpoint(endpoint_id: UUID, actor: Reader, integrations: IntegrationsDep) -> Any:
    return await endpoints.get_endpoint(integrations, actor, endpoint_id)


@webhooks_router.patch("/endpoints/{endpoint_id}", response_model=schemas.WebhookEndpointRead)
async def update_webhook_endpoint(
    endpoint_id: UUID, body: schemas.WebhookEndpointUpdate, actor: Owner, integrations: IntegrationsDep
) -> Any:
    return await endpoints.update_endpoint(integrations, actor, endpoint_id, body.model_dump(exclude_unset=True))


@webhooks_router.delete("/endpoints/{endpoint_id}", status_code=204)
async def delete_webhook_endpoint(endpoint_id: UUID, actor: Owner, integrations: IntegrationsDep) -> Response:
    await endpoints.delete_endpoint(integrations, actor, endpoint_id)
    return Response(status_code=204)


@webhooks_router.post(
    "/endpoints/{endpoint_id}/replay",
    response_model=schemas.WebhookReplayQueued,
)
async def replay_webhook_endpoint(
    endpoint_id: UUID, body: schemas.WebhookReplay, actor: Owner, integrations: IntegrationsDep
) -> Any:
    return {"queued": await deliveries.replay_since(integrations, actor, endpoint_id, body.since)}


@webhooks_router.get("/deliveries", response_model=Page[schemas.WebhookDeliveryRead])
async def list_webhook_deliveries(
    actor: Reader,
    integrations: IntegrationsDep,
    endpoint_id: Annotated[UUID | None, Query()] = None,
    status: Annotated[str | None, Query(description="pending, delivered or failed")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    page = await deliveries.list_deliveries(
        integrations, actor, endpoint_id=endpoint_id, status=status, limit=limit, offset=offset
    )
    return page_of(page)


@webhooks_router.get("/deliveries/{delivery_id}", response_model=schemas.WebhookDeliveryDetail)
async def get_webhook_delivery(delivery_id: UUID, actor: Reader, integrations: IntegrationsDep) -> Any:
    return await deliveries.get_delivery(integrations, actor, delivery_id)


@webhooks_router.post(
    "/deliveries/{delivery_id}/resend",
    status_code=201,
    response_model=schemas.WebhookDeliveryRead,
)
async def resend_webhook_delivery(delivery_id: UUID, actor: Owner, integrations: IntegrationsDep) -> Any:
    return await deliveries.resend_delivery(integrations, actor, delivery_id)
