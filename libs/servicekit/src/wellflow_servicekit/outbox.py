"""The outbox relay: moves committed events from the service's ``outbox`` table to JetStream.

Each round, in one transaction, it claims up to ``batch_size`` unpublished rows with
``FOR UPDATE SKIP LOCKED`` (so several replicas share the work without taking the same row), publishes
them, waits for every PubAck, marks the acknowledged rows sent and commits. If it dies after publishing
but before the commit, the rows are published again on the next round with the same ``Nats-Msg-Id``,
and JetStream's duplicate window drops the copy; consumers' inboxes catch anything older.

Order: events of one aggregate are published in commit (id) order. A row is held back while an earlier
row of its aggregate is unpublished and not in this batch (another replica holds it), and inside a batch
the events of one aggregate go out in waves, each waiting for the previous one's ack; if one fails the
later events of that aggregate wait for the next round.

The relay wakes on ``NOTIFY wellflow_outbox`` (sent by the unit of work at commit) and polls every
``poll_interval`` seconds in case a notification is missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass

from nats.js import JetStreamContext
from opentelemetry import trace
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT

from .background import listen_for_notifications
from .database import Database
from .metrics import Metrics
from .tables import OUTBOX_CHANNEL
from .telemetry import context_from_traceparent, span_headers

log = logging.getLogger(__name__)
_TRACER = trace.get_tracer("wellflow.outbox")

CLAIM_SQL = text(
    """
    WITH claimed AS (
        SELECT id, subject, headers, payload, aggregate_key
          FROM outbox
         WHERE published_at IS NULL
         ORDER BY id
         LIMIT :limit
           FOR UPDATE SKIP LOCKED
    )
    SELECT c.id, c.subject, c.headers, c.payload, c.aggregate_key
      FROM claimed c
     WHERE c.aggregate_key IS NULL
        OR NOT EXISTS (
            SELECT 1 FROM outbox earlier
             WHERE earlier.published_at IS NULL
               AND earlier.aggregate_key = c.aggregate_key
               AND earlier.id < c.id
               AND earlier.id NOT IN (SELECT id FROM claimed))
     ORDER BY c.id
    """
)

MARK_SENT_SQL = text("UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY(:ids)").bindparams(
    bindparam("ids", type_=ARRAY(BIGINT))
)
MARK_FAILED_SQL = text(
    "UPDATE outbox SET attempts = attempts + 1, last_error = :error WHERE id = ANY(:ids)"
).bindparams(bindparam("ids", type_=ARRAY(BIGINT)))
BACKLOG_SQL = text(
    "SELECT count(*) AS backlog, extract(epoch FROM now() - min(created_at)) AS oldest "
    "FROM outbox WHERE published_at IS NULL"
)
PRUNE_SQL = text(
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at < now() - make_interval(secs => :keep)"
    " LIMIT 10000)"
)


@dataclass(frozen=True)
class Backlog:
    unpublished: int
    oldest_age_seconds: float


async def outbox_backlog(database: Database) -> Backlog:
    """Unpublished events and the age of the oldest: what readiness and the metrics report."""
    async with database.engine.connect() as conn:
        row = (await conn.execute(BACKLOG_SQL)).one()
    return Backlog(int(row.backlog), float(row.oldest or 0.0))


@dataclass
class _Row:
    id: int
    subject: str
    headers: dict[str, str]
    payload: bytes
    aggregate_key: str | None


class OutboxRelay:
    def __init__(
        self,
        database: Database,
        js: JetStreamContext,
        *,
        stream: str,
        metrics: Metrics | None = None,
        batch_size: int = 200,
        poll_interval: float = 1.0,
        ack_timeout: float = 5.0,
        keep_published_seconds: float = 24 * 3600,
        linger: float = 0.005,
    ) -> None:
        self.database = database
        self.js = js
        self.stream = stream
        self.metrics = metrics
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.ack_timeout = ack_timeout
        self.keep_published_seconds = keep_published_seconds
        self.linger = linger
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    # -- one round ---------------------------------------------------------------------------------

    async def publish_batch(self) -> int:
        """Claim, publish and mark one batch; returns how many events were published."""
        started = time.perf_counter()
        async with self.database.engine.connect() as conn, conn.begin():
            result = await conn.execute(CLAIM_SQL, {"limit": self.batch_size})
            rows = [_Row(*row) for row in result.all()]
            if not rows:
                return 0
            sent, failed, error = await self._publish(rows)
            if sent:
                await conn.execute(MARK_SENT_SQL, {"ids": sent})
            if failed:
                await conn.execute(MARK_FAILED_SQL, {"ids": failed, "error": error})
        if self.metrics is not None:
            self.metrics.outbox_publish_duration_seconds.observe(time.perf_counter() - started)
            self.metrics.outbox_publish_batch_size.observe(len(rows))
            if sent:
                self.metrics.outbox_published_total.inc(len(sent))
        if failed and not sent:
            raise PublishFailed(error or "publish failed")
        return len(sent)

    async def _publish(self, rows: list[_Row]) -> tuple[list[int], list[int], str | None]:
        """Publish in waves: the n-th event of every aggregate goes out with the n-th of the others."""
        waves: list[list[_Row]] = []
        depth: dict[str, int] = defaultdict(int)
        for row in rows:
            if row.aggregate_key is None:
                level = 0
            else:
                level = depth[row.aggregate_key]
                depth[row.aggregate_key] += 1
            while len(waves) <= level:
                waves.append([])
            waves[level].append(row)

        sent: list[int] = []
        failed: list[int] = []
        blocked: set[str] = set()
        error: str | None = None
        for wave in waves:
            ready = [row for row in wave if row.aggregate_key not in blocked]
            failed.extend(row.id for row in wave if row.aggregate_key in blocked)
            if not ready:
                continue
            spans = [self._publish_span(row) for row in ready]
            futures = [
                await self.js.publish_async(row.subject, row.payload, stream=self.stream, headers=headers)
                for row, (_, headers) in zip(ready, spans, strict=True)
            ]
            done, pending = await asyncio.wait(futures, timeout=self.ack_timeout)
            for future in pending:
                future.cancel()
            for row, future, (span, _) in zip(ready, futures, spans, strict=True):
                if future in done and not future.cancelled() and future.exception() is None:
                    sent.append(row.id)
                    if span is not None:
                        span.end()
                    continue
                if span is not None:
                    span.set_status(trace.Status(trace.StatusCode.ERROR, "not acknowledged"))
                    span.end()
                failed.append(row.id)
                if row.aggregate_key is not None:
                    blocked.add(row.aggregate_key)
                if error is None:
                    exc = None if future.cancelled() or future not in done else future.exception()
                    error = f"{type(exc).__name__}: {exc}" if exc else f"no PubAck within {self.ack_timeout}s"
        return sent, failed, error

    @staticmethod
    def _publish_span(row: _Row) -> tuple[trace.Span | None, dict[str, str]]:
        """A PRODUCER span for the publish, child of the span that recorded the event (its stored
        ``traceparent``), which ends when the PubAck arrives; the message carries the publish span as its
        parent, so a consumer's span hangs under it. Events recorded outside any trace publish as they are."""
        traceparent = row.headers.get("traceparent")
        if not traceparent:
            return None, row.headers
        span = _TRACER.start_span(
            f"publish {row.headers.get('ce-type', row.subject)}",
            context=context_from_traceparent(traceparent, row.headers.get("tracestate")),
            kind=trace.SpanKind.PRODUCER,
            attributes={
                "messaging.system": "nats",
                "messaging.operation.type": "publish",
                "messaging.destination.name": row.subject,
                "messaging.message.id": row.headers.get("Nats-Msg-Id", ""),
                "wellflow.event_type": row.headers.get("ce-type", ""),
            },
        )
        return span, {**row.headers, **span_headers(span)}

    async def backlog(self) -> Backlog:
        return await outbox_backlog(self.database)

    async def drain(self, timeout: float = 30.0) -> None:
        """Publish until nothing is left (tests, benchmarks, graceful shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.publish_batch() == 0 and (await self.backlog()).unpublished == 0:
                return
        raise TimeoutError("outbox did not drain in time")

    # -- running -----------------------------------------------------------------------------------

    async def start(self) -> None:
        self._stopping.clear()
        self._tasks = [
            asyncio.create_task(self._run(), name="outbox-relay"),
            asyncio.create_task(self._listen(), name="outbox-listen"),
            asyncio.create_task(self._housekeeping(), name="outbox-housekeeping"),
        ]

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                published = await self.publish_batch()
                failures = 0
            except Exception as exc:
                failures += 1
                delay = min(0.1 * 2**failures, 5.0)
                log.warning("outbox relay round failed (%s); retrying in %.1fs", exc, delay)
                await self._sleep(delay)
                continue
            if published >= self.batch_size:
                continue  # more is waiting
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval)
            if published and self.linger:
                # Busy: let a few more commits gather so one round carries them all, instead of
                # one round (and one fsync) per committed transaction.
                await asyncio.sleep(self.linger)

    async def _listen(self) -> None:
        """LISTEN on the service database; reconnects, since polling covers the gaps meanwhile."""
        await listen_for_notifications(
            self.database.url, OUTBOX_CHANNEL, self._wake, self._stopping, what="outbox LISTEN"
        )

    async def _housekeeping(self) -> None:
        while not self._stopping.is_set():
            try:
                backlog = await self.backlog()
                if self.metrics is not None:
                    self.metrics.outbox_backlog.set(backlog.unpublished)
                    self.metrics.outbox_oldest_age_seconds.set(backlog.oldest_age_seconds)
                async with self.database.engine.begin() as conn:
                    await conn.execute(PRUNE_SQL, {"keep": self.keep_published_seconds})
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.debug("outbox housekeeping failed: %s", exc)
            await self._sleep(5.0)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)


class PublishFailed(RuntimeError):
    """No event of a batch could be published (NATS down, stream missing)."""
