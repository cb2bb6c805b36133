"""Running a WellFlow service: the pieces every service builds from its settings, started and stopped in
order, and its event loop.

Every service's ``bootstrap.py`` has the same shape, and is the only place that wires the service::

    def create_app(settings: WellsSettings | None = None) -> FastAPI:
        settings = settings or load_settings_or_exit(WellsSettings)
        runtime = ServiceRuntime(settings, work_type=WellsWork)      # the unit of work with the repositories
        wells = Wells(runtime.database)                               # the use cases' handle
        return runtime.create_app(
            title="WellFlow wells", version=__version__, routers=routers,
            consumers=register_consumers,                             # entrypoints/consumers.py
            background=[PeriodicTask("wells-check", wells.check, 60)],
            state={"wells": wells},
        )

Nothing connects before the app's lifespan starts. uvloop (libuv) roughly halves the loop's own overhead
per socket operation; uvicorn picks it up by itself, and commands and benchmarks use ``run``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
from prometheus_client import Gauge

from .asyncapi import build_asyncapi
from .background import Background
from .broker import ConsumerPolicy, DeadLetters, EventConsumers, create_broker
from .database import Database, UnitOfWork
from .http import create_app
from .metrics import BusinessRead, Metrics
from .outbox import OutboxRelay, outbox_backlog
from .revocation import RevocationFeed, RevocationList
from .settings import ServiceSettings
from .telemetry import configure_logging, setup_telemetry

log = logging.getLogger(__name__)
T = TypeVar("T")

OUTBOX_STALE_AFTER_SECONDS = 60.0
WATCH_INTERVAL_SECONDS = 15.0
"""How often the gauges read from elsewhere (JetStream consumer info, dead letters, business figures) are
refreshed: Prometheus scrapes every 15 s by default, so a fresher reading would not be seen."""


def run(main: Coroutine[Any, Any, T]) -> T:
    try:
        import uvloop
    except ImportError:  # Windows, or a platform without wheels: the standard loop works too
        return asyncio.run(main)
    return uvloop.run(main)


def configure_observability(settings: ServiceSettings) -> None:
    """JSON logs and the tracer provider, once per process (the first service runtime's settings win)."""
    configure_logging(settings)
    if not isinstance(trace.get_tracer_provider(), SdkTracerProvider):
        setup_telemetry(settings)


class OutboxStalled(RuntimeError):
    """Events have waited in the outbox longer than a healthy relay ever lets them."""


class ServiceRuntime:
    """Database, broker, event consumers, outbox relay, metrics and token revocations of one service process."""

    def __init__(
        self,
        settings: ServiceSettings,
        *,
        run_relay: bool = True,
        configure_process: bool = True,
        work_type: type[UnitOfWork] | None = None,
    ) -> None:
        self.settings = settings
        if configure_process:
            configure_observability(settings)
        self.metrics = Metrics()
        self.database = Database(
            settings.database_url,
            service=settings.service_name,
            subject_root=settings.event_subject_root,
            pool_size=settings.db_pool_size,
            work_type=work_type,
        )
        self.database.attach_metrics(self.metrics)
        self.broker = create_broker(
            settings.nats_url,
            service=settings.service_name,
            inbox_prefix=settings.nats_inbox_prefix,
            tls_ca_file=settings.nats_tls_ca_file,
        )
        self.consumers = EventConsumers(
            broker=self.broker,
            database=self.database,
            service=settings.service_name,
            subject_root=settings.event_subject_root,
            policy=ConsumerPolicy(
                max_deliver=settings.consumer_max_deliver,
                backoff=tuple(settings.consumer_backoff),
                concurrency=settings.consumer_concurrency,
                coalesce_linger=settings.consumer_coalesce_linger,
            ),
            metrics=self.metrics,
        )
        # Tokens of members whose access changed, refused by every route (auth.get_principal): see revocation.py.
        self.revocations = RevocationList()
        self.revocation_feed = RevocationFeed(self.broker, self.revocations, subject_root=settings.event_subject_root)
        self.run_relay = run_relay
        self.relay: OutboxRelay | None = None
        self.dead_letters: DeadLetters | None = None
        self._watch: asyncio.Task[None] | None = None
        self.watch_interval = WATCH_INTERVAL_SECONDS

    @contextlib.asynccontextmanager
    async def lifespan(self) -> AsyncIterator[ServiceRuntime]:
        """Start in dependency order, stop in reverse; consumers finish what they hold before NATS closes."""
        async with contextlib.AsyncExitStack() as stack:
            await self.database.warm_up()
            stack.push_async_callback(self.database.dispose)
            await self.broker.start()
            stack.push_async_callback(self.broker.stop)
            js = self.broker.config.connection_state.stream
            self.dead_letters = DeadLetters(
                self.database, js, service=self.settings.service_name, subject_root=self.settings.event_subject_root
            )
            await self.consumers.start()
            stack.push_async_callback(self.consumers.close)
            await self.revocation_feed.start()
            stack.push_async_callback(self.revocation_feed.stop)
            if self.run_relay:
                self.relay = OutboxRelay(
                    self.database,
                    js,
                    stream=self.settings.stream_name,
                    metrics=self.metrics,
                    batch_size=self.settings.outbox_batch_size,
                    poll_interval=self.settings.outbox_poll_interval,
                )
                await self.relay.start()
                stack.push_async_callback(self.relay.stop)
            self._watch = asyncio.create_task(self._watch_gauges())
            stack.callback(self._watch.cancel)
            yield self

    def readiness_checks(self) -> dict[str, Any]:
        """What ``/health/ready`` asks: the database answers, NATS is connected, the outbox is moving."""
        return {"database": self.database.ping, "nats": self._nats_ready, "outbox": self._outbox_ready}

    async def _nats_ready(self) -> None:
        connection = self.broker.config.connection_state.connection
        if connection is None or not connection.is_connected:
            raise ConnectionError("not connected to NATS")
        await connection.flush(timeout=1)

    async def _outbox_ready(self) -> dict[str, float]:
        backlog = await outbox_backlog(self.database)
        if backlog.oldest_age_seconds > OUTBOX_STALE_AFTER_SECONDS:
            raise OutboxStalled(
                f"{backlog.unpublished} events unpublished, the oldest for {backlog.oldest_age_seconds:.0f} s"
            )
        return {"unpublished": backlog.unpublished, "oldest_age_seconds": backlog.oldest_age_seconds}

    def business_gauge(
        self,
        name: str,
        documentation: str,
        read: BusinessRead,
        *,
        labels: Sequence[str] = (),
        interval: float = 60.0,
    ) -> Gauge:
        """Register a business figure, read in the background every ``interval`` seconds (see
        ``Metrics.business_gauge``): e.g. ``runtime.business_gauge("payment_runs_pending_approval",
        "Payment runs waiting for approval, all tenants.", payments.count_pending)``."""
        return self.metrics.business_gauge(name, documentation, read, labels=labels, interval=interval)

    async def refresh_gauges(self) -> None:
        """What the background watch does every ``watch_interval`` seconds: the outbox backlog (also when this
        process runs no relay, or its relay is stuck), dead letters pending, each durable consumer's pending and
        ack-pending counts from JetStream, and the business gauges due."""
        try:
            backlog = await outbox_backlog(self.database)
            self.metrics.outbox_backlog.set(backlog.unpublished)
            self.metrics.outbox_oldest_age_seconds.set(backlog.oldest_age_seconds)
            if self.dead_letters is not None:
                self.metrics.dead_letters_pending.set(await self.dead_letters.pending_count())
        except Exception as exc:
            log.debug("outbox or dead letter count failed: %s", exc)
        await self.consumers.refresh_pending()
        await self.metrics.refresh_business()

    async def _watch_gauges(self) -> None:
        while True:
            with contextlib.suppress(Exception):
                await self.refresh_gauges()
            await asyncio.sleep(self.watch_interval)

    def asyncapi_router(self, version: str) -> APIRouter:
        router = APIRouter()

        @router.get("/asyncapi.json", include_in_schema=False)
        async def asyncapi() -> dict[str, Any]:
            """The events this service publishes and consumes (AsyncAPI 3.0)."""
            return build_asyncapi(
                self.settings.service_name, version, self.consumers, root=self.settings.event_subject_root
            )

        return router

    def create_app(
        self,
        *,
        title: str,
        version: str,
        routers: Sequence[APIRouter] = (),
        description: str = "",
        consumers: Callable[[EventConsumers], None] | None = None,
        background: Sequence[Background | Callable[[], AbstractAsyncContextManager[Any]]] = (),
        state: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> FastAPI:
        """The service's app: ``consumers`` declares its event handlers (its ``entrypoints/consumers.py``),
        ``background`` is started after the consumers and stopped before them (objects with ``start``/``stop``
        or async context manager factories), ``state`` lands on ``app.state`` with the runtime."""
        if consumers is not None:
            consumers(self.consumers)
        routers = [*routers, self.asyncapi_router(version)]
        app = create_app(
            settings=self.settings,
            title=title,
            version=version,
            description=description,
            metrics=self.metrics,
            routers=routers,
            lifespan_hooks=[self.lifespan, *(_as_hook(item) for item in background)],
            readiness_checks=self.readiness_checks(),
            **kwargs,
        )
        app.state.runtime = self
        app.state.revocations = self.revocations
        for name, value in (state or {}).items():
            setattr(app.state, name, value)
        return app


def _as_hook(item: Background | Callable[[], AbstractAsyncContextManager[Any]]) -> Callable[[], Any]:
    if not (hasattr(item, "start") and hasattr(item, "stop")):
        return item
    task: Background = item

    @contextlib.asynccontextmanager
    async def running() -> AsyncIterator[None]:
        await task.start()
        try:
            yield
        finally:
            await task.stop()

    return running
