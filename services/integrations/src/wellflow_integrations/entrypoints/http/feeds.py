"""Durable feeds: create one for an outside system, see its state, start it over, remove it."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from typing import Any

from fastapi import APIRouter, Response

from wellflow_servicekit.pages import Page

from ...app import feeds
from ...domain.feeds import StartPoint
from .. import schemas
from .common import IntegrationsDep, Limit, Offset, Owner, Reader, page_of

feeds_router = APIRouter(prefix="/api/v1/feeds", tags=["feeds"])


def _start(body: schemas.FeedStart) -> StartPoint:
    return StartPoint(kind=body.from_, time=body.time, sequence=body.sequence)


@feeds_router.post("", status_code=201, response_model=schemas.FeedRead)
async def create_feed(body: schemas.FeedCreate, actor: Owner, integrations: IntegrationsDep) -> Any:
    return await feeds.create_feed(integrations, actor, body.name, _start(body.start))


@feeds_router.get("", response_model=Page[schemas.FeedRead])
async def list_feeds(actor: Reader, integrations: IntegrationsDep, limit: Limit = 50, offset: Offset = 0) -> Any:
    return page_of(await feeds.list_feeds(integrations, actor, limit=limit, offset=offset))


@feeds_router.get("/{name}", response_model=schemas.FeedRead)
async def get_feed(name: str, actor: Reader, integrations: IntegrationsDep) -> Any:
    return await feeds.get_feed(integrations, actor, name)


@feeds_router.post("/{name}/replay", response_model=schemas.FeedRead)
async def replay_feed(name: str, body: schemas.FeedReplay, actor: Owner, integrations: IntegrationsDep) -> Any:
    return await feeds.replay_feed(integrations, actor, name, _start(body.start))


@feeds_router.delete("/{name}", status_code=204)
async def delete_feed(name: str, actor: Owner, integrations: IntegrationsDep) -> Response:
    await feeds.delete_feed(integrations, actor, name)
    return Response(status_code=204)
