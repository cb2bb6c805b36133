"""Durable pull consumers of integration events: each handler of a service is a JetStream consumer named
``<service>-<handler>`` with explicit acks, fed by a fetch loop of our own (see ``broker``'s docstring for
why), applied through the inbox so a redelivery changes nothing twice, and dead-lettered after
``max_deliver`` failed attempts. An event whose envelope names another tenant than its subject is refused
(dead-lettered with an error log, never applied): publish permissions are granted per tenant subject.
A handler of whole-picture events with a revision may coalesce a burst of one key's revisions (``coalescing``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy as NatsAckPolicy
from nats.js.api import ConsumerConfig, DeliverPolicy
from opentelemetry import trace

from wellflow_contracts import IntegrationEvent, MalformedEnvelope, UnknownEventType, decode, uuid7
from wellflow_contracts.subjects import (
    DEFAULT_ROOT,
    dead_letter_subject,
    replay_subject,
    stream_name,
)

from . import inbox
from .coalescing import Coalesce, Coalescer, Delivery
from .context import EventContext, event_var, tenant_id_var
from .database import Database
from .dispatcher import KeyedDispatcher
from .event_tenancy import check_tenant, first_subject, uuid_or_none
from .jetstream import pull_subscribe
from .metrics import Metrics
from .tables import dead_letters
from .telemetry import consumer_span_attributes, context_from_traceparent

log = logging.getLogger(__name__)
tracer = trace.get_tracer("wellflow.consumer")

# A handler takes the service's unit of work (a ``UnitOfWork`` subclass with its repositories) and the event.
Handler = Callable[[Any, Any], Awaitable[None]]


@dataclass(frozen=True)
class ConsumerPolicy:
    max_deliver: int = 5
    backoff: tuple[float, ...] = (1.0, 5.0, 15.0, 30.0)
    ack_wait: float = 30.0
    batch_size: int = 64
    idle_fetch_timeout: float = 5.0
    concurrency: int = 8  # keep below the database pool size: a pool that overflows reconnects
    coalesce_linger: float = 0.2  # seconds a coalescing handler waits for newer revisions of a key

    def delay_after(self, delivered: int) -> float:
        return self.backoff[min(delivered, len(self.backoff)) - 1] if self.backoff else 0.0


@dataclass(frozen=True)
class _Subscription:
    durable: str
    subject: str
    consumer: str
    fn: Handler
    event_model: type[IntegrationEvent]


class EventConsumers:
    """Registers a service's event handlers as durable consumers. Build it in bootstrap, not at import."""

    def __init__(
        self,
        *,
        broker: NatsBroker,
        database: Database,
        service: str,
        subject_root: str = DEFAULT_ROOT,
        policy: ConsumerPolicy | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.broker = broker
        self.database = database
        self.service = service
        self.root = subject_root
        self.stream_name = stream_name(subject_root)
        self.policy = policy or ConsumerPolicy()
        self.metrics = metrics
        self.handlers: dict[str, tuple[type[IntegrationEvent], Handler]] = {}
        self.dispatcher = KeyedDispatcher(self.policy.concurrency)
        self._subscriptions: list[_Subscription] = []
        self._pulls: list[JetStreamContext.PullSubscription] = []
        self._durables: list[str] = []
        self._loops: list[asyncio.Task[None]] = []
        self._coalescing: dict[str, Coalesce] = {}
        self._coalescer = Coalescer(
            database,
            self.dispatcher,
            self.policy.coalesce_linger,
            self._process_delivery,
            self._count,
            self._timed,
            in_hand=max(self.policy.batch_size, self.policy.concurrency),
        )
        self._closing = False

    def consumer_name(self, handler: str) -> str:
        return f"{self.service}-{handler}"

    def handler(
        self,
        name: str,
        event_model: type[IntegrationEvent],
        *,
        subject: str | None = None,
        coalesce: Coalesce | None = None,
    ) -> Callable[[Handler], Handler]:
        """``@consumers.handler("lease-volumes", LeaseMonthReported)`` over ``async def f(uow, event)``.

        The function runs in a unit of work scoped to the event's tenant, after the inbox has claimed
        the event; it records any events of its own with ``uow.record``. It must not commit. ``subject``
        (with ``IntegrationEvent`` as the model) makes one consumer of several types, e.g. ``evt.*.>``.
        ``coalesce`` applies only the newest revision of a key among events that arrive together (``Coalesce``).
        """
        if not name.replace("-", "").isalnum():
            raise ValueError(f"handler name must be letters, digits and dashes: {name!r}")

        custom = subject

        def register(fn: Handler) -> Handler:
            consumer = self.consumer_name(name)
            if consumer in self.handlers:
                raise ValueError(f"handler {consumer} is registered twice")
            self.handlers[consumer] = (event_model, fn)
            if coalesce is not None:
                self._coalescing[consumer] = coalesce
            filter_subject = f"{self.root}.{custom}" if custom else None
            if filter_subject is None:
                service, event, version = event_model.event_type().split(".")
                filter_subject = f"{self.root}.evt.*.{service}.{event}.{version}"
            subjects = {
                consumer: filter_subject,
                f"{consumer}-replay": replay_subject(self.service, consumer, self.root),
            }
            for durable, subject in subjects.items():
                self._subscribe(durable, subject, consumer, fn, event_model)
            return fn

        return register

    def _subscribe(
        self, durable: str, subject: str, consumer: str, fn: Handler, event_model: type[IntegrationEvent]
    ) -> None:
        self._subscriptions.append(_Subscription(durable, subject, consumer, fn, event_model))

    def consumer_config(self, durable: str, subject: str) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=durable,
            filter_subject=subject,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=NatsAckPolicy.EXPLICIT,
            ack_wait=self.policy.ack_wait,
            # Our code dead-letters after policy.max_deliver; the server's limit is only a backstop
            # for a message that kills the process every time it is handled.
            max_deliver=self.policy.max_deliver + 3,
            max_ack_pending=1000,
        )

    async def start(self) -> None:
        """Create (or reattach to) every durable consumer and start fetching. Call after the broker started."""
        js = self.broker.config.connection_state.stream
        self._closing = False
        for sub in self._subscriptions:
            pull = await pull_subscribe(
                js,
                sub.subject,
                durable=sub.durable,
                stream=self.stream_name,
                config=self.consumer_config(sub.durable, sub.subject),
            )
            self._pulls.append(pull)
            self._durables.append(sub.durable)
            if self.metrics is not None:  # every consumer's series exist from the start, handled or not
                self.metrics.consumer(sub.consumer)
            self._loops.append(asyncio.create_task(self._pull_loop(pull, sub), name=f"consume-{sub.durable}"))

    async def close(self) -> None:
        """Stop fetching, finish the messages in hand, and let go of the subscriptions (not the consumers)."""
        self._closing = True
        for task in self._loops:
            task.cancel()
        for task in self._loops:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._coalescer.close()  # lingering batches are let go unacknowledged, to be redelivered
        await self.dispatcher.close()
        for pull in self._pulls:
            with contextlib.suppress(Exception):
                await pull.unsubscribe()
        self._loops, self._pulls, self._durables = [], [], []

    async def refresh_pending(self) -> None:
        """Ask JetStream how far behind each durable consumer is (``consumer_pending_messages``,
        ``consumer_ack_pending_messages``); the runtime calls it every few seconds, not per message."""
        if self.metrics is None:
            return
        for durable, pull in zip(list(self._durables), list(self._pulls), strict=True):
            try:
                info = await pull.consumer_info()
            except Exception as exc:  # NATS away: keep the last figures, the fetch loop logs the outage
                log.debug("consumer info for %s failed: %s", durable, exc)
                continue
            self.metrics.consumer_pending_messages.labels(durable).set(info.num_pending or 0)
            self.metrics.consumer_ack_pending_messages.labels(durable).set(info.num_ack_pending or 0)

    async def _pull_loop(self, pull: JetStreamContext.PullSubscription, sub: _Subscription) -> None:
        """Fetch in order and hand each message to the dispatcher.

        Idle, it waits for one message (a fetch of one returns the moment it arrives). When a message
        says more are pending, it asks for that many, which the server hands over at once. A plain
        ``fetch(batch=N)`` would instead hold a partial batch until N arrive or the timeout passes:
        at a few hundred events a second that adds tens of milliseconds to every event.
        """
        want = 1
        while not self._closing:
            try:
                messages = await pull.fetch(batch=want, timeout=self.policy.idle_fetch_timeout)
            except asyncio.CancelledError:
                raise
            except TimeoutError:
                want = 1
                continue
            except Exception as exc:  # connection lost or stream unavailable: nats-py reconnects
                log.warning("fetch for %s failed (%s); retrying", sub.durable, exc)
                want = 1
                await asyncio.sleep(1.0)
                continue
            for msg in messages:
                await self._dispatch(msg, sub.consumer, sub.fn, sub.event_model)
            pending = messages[-1].metadata.num_pending if messages and messages[-1].metadata else 0
            want = max(1, min(self.policy.batch_size, pending or 0))

    async def _dispatch(self, msg: Msg, consumer: str, fn: Handler, event_model: type[IntegrationEvent]) -> None:
        headers = dict(msg.headers or {})
        delivered = msg.metadata.num_delivered if msg.metadata else 1
        if delivered > 1 and self.metrics is not None:
            self.metrics.consumer(consumer).redeliveries.inc()
        try:
            event = decode(headers, msg.data)
            if not isinstance(event, event_model):
                raise MalformedEnvelope(f"{consumer} handles {event_model.event_type()}, got {event.type}")
            check_tenant(self.root, msg.subject, headers, event, consumer)  # TenantMismatch: never applied
        except (MalformedEnvelope, UnknownEventType) as exc:
            # Retrying cannot make an unreadable (or forged) message right.
            token = event_var.set(EventContext(headers.get("ce-id", ""), headers.get("ce-type", ""), msg.subject))
            try:
                await self._dead_letter(msg, consumer, headers, f"unreadable: {exc}", delivered, None)
            finally:
                event_var.reset(token)
            return
        coalesce = self._coalescing.get(consumer)
        if coalesce is not None and self.policy.coalesce_linger > 0:
            await self._coalescer.gather(Delivery(msg, event, headers, delivered), consumer, fn, coalesce)
            return
        await self.dispatcher.submit(
            event.aggregate_id, lambda: self._process(msg, consumer, fn, event, headers, delivered)
        )

    async def _process_delivery(self, delivery: Delivery, consumer: str, fn: Handler) -> None:
        await self._process(delivery.msg, consumer, fn, delivery.event, delivery.headers, delivery.delivered)

    async def _process(
        self,
        msg: Msg,
        consumer: str,
        fn: Handler,
        event: IntegrationEvent,
        headers: dict[str, str],
        delivered: int,
    ) -> None:
        started = time.perf_counter()
        token = tenant_id_var.set(event.tenant_id)
        event_token = event_var.set(EventContext(str(event.event_id), event.type, msg.subject))
        parent = context_from_traceparent(headers.get("traceparent"), headers.get("tracestate"))
        try:
            with tracer.start_as_current_span(
                f"{event.type} process",
                context=parent,
                kind=trace.SpanKind.CONSUMER,
                attributes=consumer_span_attributes(event, msg.subject, consumer, delivered),
            ) as span:
                try:
                    async with self.database.unit_of_work(event.tenant_id, tenant_set_by_first_statement=True) as uow:
                        applied = await inbox.claim(uow, consumer, event)
                        span.set_attribute("wellflow.inbox", "applied" if applied else "duplicate")
                        if applied:
                            await fn(uow, event)
                except Exception as exc:
                    span.record_exception(exc)
                    span.set_status(trace.StatusCode.ERROR)
                    await self._failed(msg, consumer, headers, exc, delivered, event)
                    self._timed(consumer, started, None)
                    return
            await msg.ack()
            self._count(consumer, "applied" if applied else "duplicate")
            self._timed(consumer, started, event)
        finally:
            event_var.reset(event_token)
            tenant_id_var.reset(token)

    def _timed(self, consumer: str, started: float, handled: IntegrationEvent | None) -> None:
        """Handling time of every attempt; for a finished event also its lag since its time and the clock."""
        if self.metrics is None:
            return
        instruments = self.metrics.consumer(consumer)
        instruments.handle.observe(time.perf_counter() - started)
        if handled is not None:
            now = time.time()
            instruments.lag.observe(max(0.0, now - handled.occurred_at.timestamp()))
            instruments.last_handled.set(now)

    async def _failed(
        self,
        msg: Msg,
        consumer: str,
        headers: dict[str, str],
        exc: Exception,
        delivered: int,
        event: IntegrationEvent,
    ) -> None:
        if delivered >= self.policy.max_deliver:
            log.error("%s gave up on %s after %d deliveries: %s", consumer, event.event_id, delivered, exc)
            await self._dead_letter(msg, consumer, headers, f"{type(exc).__name__}: {exc}", delivered, event)
            return
        delay = self.policy.delay_after(delivered)
        log.warning(
            "%s failed on %s (delivery %d), retrying in %.1fs: %s",
            consumer,
            event.event_id,
            delivered,
            delay,
            exc,
        )
        await msg.nak(delay=delay)
        self._count(consumer, "retried")

    async def _dead_letter(
        self,
        msg: Msg,
        consumer: str,
        headers: dict[str, str],
        error: str,
        delivered: int,
        event: IntegrationEvent | None,
    ) -> None:
        letter_id = uuid7()
        async with self.database.unit_of_work(None) as uow:
            await uow.connection.execute(
                dead_letters.insert().values(
                    id=letter_id,
                    consumer=consumer,
                    subject=first_subject(self.root, msg.subject, headers),
                    event_id=event.event_id if event else uuid_or_none(headers.get("ce-id")),
                    event_type=headers.get("ce-type"),
                    tenant_id=event.tenant_id if event else uuid_or_none(headers.get("ce-tenantid")),
                    headers=headers,
                    payload=msg.data,
                    error=error[:4000],
                    deliveries=delivered,
                )
            )
        js = self.broker.config.connection_state.stream
        dlq_headers = {**headers, "Nats-Msg-Id": f"dlq-{letter_id}", "wellflow-error": error[:500]}
        try:
            await js.publish(
                dead_letter_subject(self.service, consumer, self.root),
                msg.data,
                headers=dlq_headers,
                stream=self.stream_name,
            )
        except Exception as exc:  # the table row is the record; the announcement is best effort
            log.warning("could not announce dead letter %s: %s", letter_id, exc)
        await msg.ack()
        self._count(consumer, "dead_lettered")
        if self.metrics is not None:
            self.metrics.consumer(consumer).dead_letters.inc()

    def _count(self, consumer: str, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.consumer_outcome(self.metrics.consumer(consumer), consumer, outcome)
