"""Webhook endpoints: an owner registers an https URL and the event types it wants. The URL must resolve to
public addresses only (checked here and again before every delivery); the signing secret is shown once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_contracts.registry import registry
from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from ..domain.addresses import RefusedUrl, check_addresses, parse_url
from ..domain.signing import new_secret
from .common import Integrations
from .ports import Row

ALL_TYPES = "*"


def _public(row: Row) -> Row:
    return {key: value for key, value in row.items() if key != "secret"}


def check_event_types(event_types: list[str]) -> list[str]:
    if not event_types:
        raise invalid("body.event_types", "name at least one event type, or '*' for all")
    known = set(registry.types())
    for index, name in enumerate(event_types):
        if name != ALL_TYPES and name not in known:
            raise invalid(f"body.event_types[{index}]", f"unknown event type {name!r} (see docs/events/index.json)")
    return sorted(set(event_types))


async def check_url(integrations: Integrations, url: str) -> str:
    """422 unless the URL is https and every address its host resolves to is public."""
    allow = integrations.options.allow_loopback
    try:
        target = parse_url(url, allow_loopback=allow)
        check_addresses(await integrations.resolver.resolve(target.host, target.port), allow_loopback=allow)
    except RefusedUrl as exc:
        raise invalid("body.url", f"this URL cannot receive webhooks: {exc}", slug="webhook-url-refused") from None
    return url


async def register_endpoint(integrations: Integrations, actor: Actor, data: Mapping[str, Any]) -> Row:
    """The new endpoint with its ``secret``, the only answer that ever shows it."""
    url = await check_url(integrations, data["url"])
    event_types = check_event_types(list(data["event_types"]))
    now = integrations.clock()
    row = {
        "id": uuid7(),
        "url": url,
        "description": data.get("description") or "",
        "event_types": event_types,
        "enabled": bool(data.get("enabled", True)),
        "secret": new_secret(),
        "created_at": now,
        "updated_at": now,
    }
    async with integrations.uow(actor) as uow:
        stored = await uow.endpoints.add(row)
        await uow.tenants.mark(actor.organization_id, now)
    return stored


async def update_endpoint(integrations: Integrations, actor: Actor, endpoint_id: UUID, data: Mapping[str, Any]) -> Row:
    changes = {key: value for key, value in data.items() if value is not None}
    if "url" in changes:
        changes["url"] = await check_url(integrations, changes["url"])
    if "event_types" in changes:
        changes["event_types"] = check_event_types(list(changes["event_types"]))
    changes["updated_at"] = integrations.clock()
    async with integrations.uow(actor) as uow:
        row = await uow.endpoints.update(endpoint_id, changes)
    if row is None:
        raise NotFound(f"No webhook endpoint {endpoint_id}.")
    return _public(row)


async def delete_endpoint(integrations: Integrations, actor: Actor, endpoint_id: UUID) -> None:
    """Its pending deliveries are given up (they stay listed with their attempts)."""
    async with integrations.uow(actor) as uow:
        await uow.deliveries.give_up_pending(endpoint_id, integrations.clock(), "endpoint deleted")
        if not await uow.endpoints.delete(endpoint_id):
            raise NotFound(f"No webhook endpoint {endpoint_id}.")


async def get_endpoint(integrations: Integrations, actor: Actor, endpoint_id: UUID) -> Row:
    async with integrations.uow(actor) as uow:
        row = await uow.endpoints.get(endpoint_id)
    if row is None:
        raise NotFound(f"No webhook endpoint {endpoint_id}.")
    return _public(row)


async def list_endpoints(integrations: Integrations, actor: Actor, *, limit: int, offset: int) -> PageOf[Row]:
    async with integrations.uow(actor) as uow:
        page = await uow.endpoints.search(limit=limit, offset=offset)
    return PageOf([_public(row) for row in page.items], page.total, page.limit, page.offset)
