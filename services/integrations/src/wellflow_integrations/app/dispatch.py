"""Sending due webhook deliveries: claim, send outside any transaction, record the attempt.

A round looks at each organization with endpoints. In that organization's unit of work it claims up to a
batch of due deliveries (``FOR UPDATE SKIP LOCKED``, so replicas share the work), skipping any delivery
behind an unfinished one of the same endpoint and aggregate (order per aggregate), and leases them
(``next_attempt_at`` moves to the end of the lease) before committing. It then sends them concurrently,
each to an address checked again just now (DNS rebinding), and records each attempt in its own transaction:
delivered on a 2xx, otherwise retried after an exponential backoff until a day has passed, then failed.
A process that dies holding a lease loses nothing: the lease runs out and the delivery is sent again with
the same ``webhook-id``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.kernel import Actor

from ..domain.addresses import RefusedUrl, check_addresses, parse_url
from ..domain.signing import sign
from .common import Integrations
from .ports import Row, Sent

log = logging.getLogger(__name__)
_SYSTEM = "integrations-dispatcher"


async def dispatch_round(integrations: Integrations) -> int:
    """Send what is due for every organization; the number of attempts made."""
    async with integrations.database.unit_of_work(None) as uow:
        tenants = await uow.tenants.organizations()
    made = 0
    for organization_id in tenants:
        made += await dispatch_tenant(integrations, organization_id)
    return made


async def dispatch_tenant(integrations: Integrations, organization_id: UUID) -> int:
    actor = Actor(id=_SYSTEM, organization_id=organization_id, role="owner")
    options = integrations.options
    now = integrations.clock()
    async with integrations.uow(actor) as uow:
        claimed = await uow.deliveries.claim_due(now, now + timedelta(seconds=options.lease), options.batch_size)
    if claimed:
        await asyncio.gather(*(_attempt(integrations, actor, row) for row in claimed))
    return len(claimed)


async def _attempt(integrations: Integrations, actor: Actor, row: Row) -> None:
    sent = await _send(integrations, row)
    now = integrations.clock()
    attempts = row["attempts"] + 1
    if sent.status_code is not None and 200 <= sent.status_code < 300:
        outcome, changes = "delivered", {"status": "delivered", "finished_at": now}
    else:
        outcome = "refused" if sent.status_code is None and (sent.error or "").startswith("refused") else "failed"
        retry_at = integrations.options.retry.next_attempt(row["created_at"], attempts, now)
        changes = (
            {"status": "pending", "next_attempt_at": retry_at}
            if retry_at is not None
            else {"status": "failed", "finished_at": now}
        )
    changes.update(attempts=attempts, last_status_code=sent.status_code, last_error=sent.error)
    async with integrations.uow(actor) as uow:
        await uow.deliveries.add_attempt(
            {
                "id": uuid7(),
                "delivery_id": row["id"],
                "attempted_at": now,
                "status_code": sent.status_code,
                "outcome": outcome,
                "error": sent.error,
                "duration_ms": sent.duration_ms,
                "response_excerpt": sent.excerpt,
            }
        )
        await uow.deliveries.finish(row["id"], changes)


async def _send(integrations: Integrations, row: Row) -> Sent:
    options = integrations.options
    started = time.monotonic()
    try:
        target = parse_url(row["url"], allow_loopback=options.allow_loopback)
        addresses = await integrations.resolver.resolve(target.host, target.port)
        address = check_addresses(addresses, allow_loopback=options.allow_loopback)
    except RefusedUrl as exc:
        return Sent(None, f"refused: {exc}", None, int((time.monotonic() - started) * 1000))
    except OSError as exc:
        return Sent(None, f"could not resolve the host: {exc}", None, int((time.monotonic() - started) * 1000))
    body = bytes(row["payload"])
    headers = {
        **sign(row["secret"], str(row["event_id"]), int(integrations.clock().timestamp()), body),
        "content-type": "application/json",
        "user-agent": "WellFlow-Webhooks/1",
        "wellflow-event-type": row["event_type"],
    }
    try:
        return await integrations.sender.post(row["url"], address, headers, body, timeout=options.timeout)
    except Exception as exc:  # a sender bug must not lose the attempt's record
        log.exception("webhook delivery %s failed unexpectedly", row["id"])
        return Sent(None, f"{type(exc).__name__}: {exc}", None, int((time.monotonic() - started) * 1000))
