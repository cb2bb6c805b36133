"""Durable feeds: an organization's outside system reads its own events from a JetStream consumer that
survives its disconnections, starting where the owner says and restartable from a time or a sequence."""

from __future__ import annotations

from typing import Any

from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import feed_consumer
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from ..domain.feeds import BadFeed, StartPoint, check_name
from .common import Integrations
from .ports import Row


def _checked(name: str, start: StartPoint) -> StartPoint:
    try:
        check_name(name)
        return start.checked()
    except BadFeed as exc:
        raise invalid(exc.field, str(exc)) from None


async def create_feed(integrations: Integrations, actor: Actor, name: str, start: StartPoint) -> Row:
    start = _checked(name, start)
    consumer = feed_consumer(actor.organization_id, name)
    now = integrations.clock()
    async with integrations.uow(actor) as uow:
        if await uow.feeds.get(name) is not None:
            raise Conflict(f"A feed named {name!r} exists; replay it to move its start.", slug="feed-exists")
        # The consumer first: if the row cannot be written, creating again finds the consumer and replaces it.
        await integrations.feeds.delete(consumer)
        await integrations.feeds.create(actor.organization_id, consumer, start)
        row = {"id": uuid7(), "name": name, "consumer": consumer, "start": start.describe()}
        stored = await uow.feeds.add({**row, "created_at": now, "updated_at": now})
    return await _with_state(integrations, actor, stored)


async def replay_feed(integrations: Integrations, actor: Actor, name: str, start: StartPoint) -> Row:
    """Start the feed over from ``start``: what the subscriber has not acknowledged is delivered again."""
    start = _checked(name, start)
    async with integrations.uow(actor) as uow:
        row = await uow.feeds.get(name)
        if row is None:
            raise NotFound(f"No feed {name!r}.")
        await integrations.feeds.delete(row["consumer"])
        await integrations.feeds.create(actor.organization_id, row["consumer"], start)
        stored = await uow.feeds.restart(name, start.describe(), integrations.clock())
    assert stored is not None
    return await _with_state(integrations, actor, stored)


async def get_feed(integrations: Integrations, actor: Actor, name: str) -> Row:
    async with integrations.uow(actor) as uow:
        row = await uow.feeds.get(name)
    if row is None:
        raise NotFound(f"No feed {name!r}.")
    return await _with_state(integrations, actor, row)


async def list_feeds(integrations: Integrations, actor: Actor, *, limit: int, offset: int) -> PageOf[Row]:
    async with integrations.uow(actor) as uow:
        page = await uow.feeds.search(limit=limit, offset=offset)
    items = [await _with_state(integrations, actor, row) for row in page.items]
    return PageOf(items=items, total=page.total, limit=page.limit, offset=page.offset)


async def delete_feed(integrations: Integrations, actor: Actor, name: str) -> None:
    async with integrations.uow(actor) as uow:
        row = await uow.feeds.get(name)
        if row is None:
            raise NotFound(f"No feed {name!r}.")
        await integrations.feeds.delete(row["consumer"])
        await uow.feeds.delete(name)


async def _with_state(integrations: Integrations, actor: Actor, row: Row) -> dict[str, Any]:
    return {
        **row,
        "stream": integrations.feeds.stream,
        "subjects": integrations.feeds.subjects(actor.organization_id),
        "state": await integrations.feeds.state(row["consumer"]),
    }
