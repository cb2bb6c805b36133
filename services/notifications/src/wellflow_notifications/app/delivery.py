"""Sending due emails and SMS: claim, send outside any transaction, record what happened.

A round looks at each organization notifications knows. In that organization's unit of work it claims up to a
batch of due ``pending`` deliveries (``FOR UPDATE SKIP LOCKED``: replicas share the work) and leases them
(``next_attempt_at`` moves to the end of the lease) before committing; it then sends them concurrently and
records each outcome in its own transaction: ``sent``; a bounce or an opt-out (the address is suppressed from
then on, for every later delivery); or a transient failure, tried again after an exponential backoff for a day,
then ``failed`` (listed for an owner, who may send it again). A process that dies holding a lease loses
nothing: the lease runs out and the delivery is sent again, with the same Message-ID for a mail.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.kernel import Actor

from ..domain import messages
from .common import Notifications
from .ports import Outgoing, Row, SendResult

log = logging.getLogger(__name__)
SYSTEM = "notifications-dispatcher"
LINK_PLACEHOLDER = "{{link}}"  # where a sealed link goes, opened only at the moment of sending


async def dispatch_round(n: Notifications) -> int:
    """Send what is due for every organization; the number of attempts made."""
    async with n.database.unit_of_work(None) as uow:
        tenants = await uow.tenants.organizations()
    made = 0
    for organization_id in tenants:
        made += await dispatch_tenant(n, organization_id)
    return made


def system_actor(organization_id: UUID) -> Actor:
    return Actor(id=SYSTEM, organization_id=organization_id, role="owner")


async def dispatch_tenant(n: Notifications, organization_id: UUID) -> int:
    actor = system_actor(organization_id)
    now = n.clock()
    async with n.uow(actor) as uow:
        claimed = await uow.deliveries.claim_due(now, now + timedelta(seconds=n.options.lease), n.options.batch_size)
        suppressed: set[tuple[str, str]] = set()
        for channel in {row["channel"] for row in claimed}:
            addresses = [row["address"] for row in claimed if row["channel"] == channel]
            suppressed |= {(channel, a) for a in await uow.suppressions.suppressed(channel, addresses)}
    if claimed:
        await asyncio.gather(
            *(_attempt(n, actor, row, (row["channel"], row["address"]) in suppressed) for row in claimed)
        )
    return len(claimed)


async def _attempt(n: Notifications, actor: Actor, row: Row, suppressed: bool) -> None:
    started = time.monotonic()
    if suppressed:
        result = SendResult(sent=False, error="the address bounced or opted out before", permanent=True)
    else:
        result = await _send(n, row)
    now = n.clock()
    attempts = row["attempts"] + (0 if suppressed else 1)
    changes: Row = {"attempts": attempts, "last_error": result.error}
    if result.sent:
        outcome = "sent"
        changes.update(status="sent", finished_at=now, provider_id=result.provider_id, sealed=None)
    elif suppressed:
        outcome = "suppressed"
        changes.update(status="suppressed", finished_at=now, sealed=None)
    elif result.permanent:
        outcome = "opted_out" if result.opted_out else "bounced"
        changes.update(status="failed", finished_at=now, sealed=None)
    else:
        retry_at = n.options.retry.next_attempt(row["created_at"], attempts, now)
        outcome = "retry" if retry_at is not None else "failed"
        changes.update(
            {"status": "pending", "next_attempt_at": retry_at}
            if retry_at is not None
            else {"status": "failed", "finished_at": now, "sealed": None}
        )
    n.on_attempt(row["channel"], outcome, (now - row["created_at"]).total_seconds())
    async with n.uow(actor) as uow:
        if result.permanent and result.suppress and not suppressed:
            reason = "opted_out" if result.opted_out else "bounced"
            await uow.suppressions.add(row["channel"], row["address"], reason, result.error, now)
        if not suppressed:
            await uow.deliveries.add_attempt(
                {
                    "id": uuid7(),
                    "delivery_id": row["id"],
                    "attempted_at": now,
                    "outcome": outcome,
                    "error": result.error,
                    "duration_ms": int((time.monotonic() - started) * 1000),
                }
            )
        await uow.deliveries.finish(row["id"], changes)


async def _send(n: Notifications, row: Row) -> SendResult:
    sender = n.senders.get(row["channel"])
    if sender is None:
        return SendResult(sent=False, error=f"no {row['channel']} sender is configured")
    text = row["text_body"]
    html = row["html_body"]
    if row.get("sealed"):
        if n.links is None:
            return SendResult(sent=False, error="cannot open the sealed link: INVITATION_SEAL_KEY is not set")
        try:
            link = n.links.open(row["sealed"], context=row["dedup_key"].encode())
        except ValueError as exc:
            error = f"the sealed link does not open: {exc}"
            return SendResult(sent=False, error=error, permanent=True, suppress=False)
        text = text.replace(LINK_PLACEHOLDER, link)
        html = html.replace(LINK_PLACEHOLDER, messages.escape(link)) if html else html
    message = Outgoing(row["channel"], row["address"], row["subject"], text, html, row["dedup_key"])
    try:
        return await sender.send(message)
    except Exception as exc:  # a sender bug must not lose the attempt's record
        log.exception("delivery %s failed unexpectedly", row["id"])
        return SendResult(sent=False, error=f"{type(exc).__name__}: {exc}")
