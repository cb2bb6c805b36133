"""Coalescing consumers: a burst of one key's revisions applied once, the newest (docs/platform.md).

Events of one key that arrive within the linger of each other wait together; the newest (highest revision) is
applied in one unit of work that also claims the others in the inbox, and every message is acknowledged after
it commits. If that transaction fails, each event is handled on its own as without coalescing (its own retries
and dead letter). Batches of one aggregate run in arrival order, so ordering per aggregate holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from nats.aio.msg import Msg
from opentelemetry import trace

from wellflow_contracts import IntegrationEvent

from . import inbox
from .context import EventContext, event_var, tenant_id_var
from .database import Database
from .dispatcher import KeyedDispatcher
from .telemetry import consumer_span_attributes, context_from_traceparent

log = logging.getLogger(__name__)
tracer = trace.get_tracer("wellflow.consumer")

Handler = Callable[[Any, Any], Awaitable[None]]


@dataclass(frozen=True)
class Coalesce:
    """How a handler's events coalesce: ``key`` names what an event is the whole picture of (None: this event
    never coalesces), ``revision`` orders the pictures of one key.

    Use it only where applying an event is a no-op once a newer revision of its key has been applied (the
    handler keeps the highest revision and everything else it does follows from what is kept): then applying
    only the newest of several leaves the state applying each in turn would have left.
    """

    key: Callable[[Any], Hashable | None]
    revision: Callable[[Any], int]


@dataclass
class Delivery:
    msg: Msg
    event: IntegrationEvent
    headers: dict[str, str]
    delivered: int


@dataclass
class _Batch:
    """Deliveries of one key (one, when the key is None) waiting to be applied as one."""

    key: Hashable | None
    items: list[Delivery]
    started: bool = False


@dataclass
class _Chain:
    """The batches of one aggregate lingering or queued, in arrival order (ordering per aggregate holds)."""

    batches: list[_Batch] = field(default_factory=list)


ProcessOne = Callable[[Delivery, str, Handler], Awaitable[None]]
Count = Callable[[str, str], None]
Timed = Callable[[str, float, IntegrationEvent | None], None]


class Coalescer:
    """``EventConsumers``' batches of coalescing handlers; ``process_one`` is its one-event path (what a batch
    that fails together falls back to), ``count`` and ``timed`` its metrics."""

    def __init__(
        self,
        database: Database,
        dispatcher: KeyedDispatcher,
        linger: float,
        process_one: ProcessOne,
        count: Count,
        timed: Timed,
        in_hand: int = 64,
    ) -> None:
        self.database = database
        self.in_hand = in_hand
        # Messages held in batches are bounded, so the fetch loop waits (as it waits for the dispatcher's slots)
        # instead of fetching what could not be handled before JetStream's ack wait sends it again.
        self._room = asyncio.Semaphore(in_hand)
        self.dispatcher = dispatcher
        self.linger = linger
        self.process_one, self.count, self.timed = process_one, count, timed
        self._chains: dict[tuple[str, str | None], _Chain] = {}
        self._flushes: set[asyncio.Task[None]] = set()

    async def gather(self, delivery: Delivery, consumer: str, fn: Handler, coalesce: Coalesce) -> None:
        """Join the aggregate's last batch if it has the same key and has not started, else start a batch
        behind it; an aggregate's first batch is handed to the dispatcher after the linger, the rest with it.
        Waits while ``in_hand`` messages are held."""
        await self._room.acquire()
        event = delivery.event
        key = coalesce.key(event)
        if key is not None:
            key = (event.tenant_id, key)
        chain_key = (consumer, event.aggregate_id)
        chain = self._chains.get(chain_key)
        if chain is not None:
            last = chain.batches[-1] if chain.batches else None
            if last is not None and key is not None and last.key == key and not last.started:
                last.items.append(delivery)
                return
            chain.batches.append(_Batch(key, [delivery]))
            return
        chain = self._chains[chain_key] = _Chain([_Batch(key, [delivery])])
        task = asyncio.create_task(self._flush(chain_key, chain, consumer, fn, coalesce), name=f"coalesce-{consumer}")
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def close(self) -> None:
        """Batches still lingering are let go unacknowledged: JetStream redelivers them."""
        for task in list(self._flushes):
            task.cancel()
        for task in list(self._flushes):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._chains.clear()
        self._room = asyncio.Semaphore(self.in_hand)

    async def _flush(
        self, chain_key: tuple[str, str | None], chain: _Chain, consumer: str, fn: Handler, coalesce: Coalesce
    ) -> None:
        await asyncio.sleep(self.linger)
        aggregate = chain_key[1]
        try:
            while chain.batches:
                batch = chain.batches[0]
                await self.dispatcher.submit(aggregate, functools.partial(self._run, batch, consumer, fn, coalesce))
                chain.batches.pop(0)
        finally:
            if self._chains.get(chain_key) is chain:
                del self._chains[chain_key]

    async def _run(self, batch: _Batch, consumer: str, fn: Handler, coalesce: Coalesce) -> None:
        batch.started = True  # nothing joins it from here on
        try:
            await self._settle(batch, consumer, fn, coalesce)
        finally:
            for _ in batch.items:
                self._room.release()

    async def _settle(self, batch: _Batch, consumer: str, fn: Handler, coalesce: Coalesce) -> None:
        """The newest revision applied, the others claimed with it, all acknowledged after the commit."""
        if len(batch.items) == 1:
            await self.process_one(batch.items[0], consumer, fn)
            return
        newest = max(reversed(batch.items), key=lambda d: coalesce.revision(d.event))
        others = [d for d in batch.items if d is not newest]
        started = time.perf_counter()
        applied, claimed, applying, failure = await self._apply_together(newest, others, consumer, fn)
        if failure is not None:
            log.warning(
                "%s could not apply %d coalesced events of one key together (%s); handling each on its own",
                consumer,
                len(batch.items),
                failure,
            )
            for d in batch.items:
                await self.process_one(d, consumer, fn)
            return
        for d in others:  # each event's trace still shows its consumer, linked to the span that applied it
            tracer.start_span(
                f"{d.event.type} process",
                context=context_from_traceparent(d.headers.get("traceparent"), d.headers.get("tracestate")),
                kind=trace.SpanKind.CONSUMER,
                attributes={
                    **consumer_span_attributes(d.event, d.msg.subject, consumer, d.delivered),
                    "wellflow.inbox": "coalesced",
                },
                links=[trace.Link(applying)],
            ).end()
        for d in batch.items:
            await d.msg.ack()
        self.count(consumer, "applied" if applied else "duplicate")
        for d in others:  # a copy of an event handled before (or of the newest) is a duplicate, as alone
            self.count(consumer, "coalesced" if d.event.event_id in claimed else "duplicate")
            claimed.discard(d.event.event_id)
        for d in batch.items:
            self.timed(consumer, started, d.event)

    async def _apply_together(
        self, newest: Delivery, others: list[Delivery], consumer: str, fn: Handler
    ) -> tuple[bool, set[UUID], trace.SpanContext, Exception | None]:
        """One unit of work: the newest claimed and applied, the others claimed.

        Returns whether the newest was applied, the others' ids claimed now, the span, and the failure if any."""
        event = newest.event
        token = tenant_id_var.set(event.tenant_id)
        event_token = event_var.set(EventContext(str(event.event_id), event.type, newest.msg.subject))
        parent = context_from_traceparent(newest.headers.get("traceparent"), newest.headers.get("tracestate"))
        links = [trace.Link(context) for d in others if (context := _span_context(d.headers)) is not None]
        applied, claimed = False, set[UUID]()
        try:
            with tracer.start_as_current_span(
                f"{event.type} process",
                context=parent,
                kind=trace.SpanKind.CONSUMER,
                attributes=consumer_span_attributes(event, newest.msg.subject, consumer, newest.delivered),
                links=links,
            ) as span:
                span.set_attribute("wellflow.coalesced", len(others))
                try:
                    async with self.database.unit_of_work(event.tenant_id, tenant_set_by_first_statement=True) as uow:
                        applied = await inbox.claim(uow, consumer, event)
                        claimed = await inbox.claim_also(uow, consumer, [d.event for d in others])
                        span.set_attribute("wellflow.inbox", "applied" if applied else "duplicate")
                        if applied:
                            await fn(uow, event)
                except Exception as exc:
                    span.record_exception(exc)
                    span.set_status(trace.StatusCode.ERROR)
                    return applied, claimed, span.get_span_context(), exc
                return applied, claimed, span.get_span_context(), None
        finally:
            event_var.reset(event_token)
            tenant_id_var.reset(token)


def _span_context(headers: dict[str, str]) -> trace.SpanContext | None:
    """The producer's span named by an event's traceparent (a link from the span that applied it with others)."""
    parent = context_from_traceparent(headers.get("traceparent"), headers.get("tracestate"))
    span_context = trace.get_current_span(parent).get_span_context()
    return span_context if span_context.is_valid else None
