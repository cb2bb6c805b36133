"""A miniature service for the integration tests: a database, a relay and one event consumer that
records what it applied in ``applied_events``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from sqlalchemy import text

from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.broker import ConsumerPolicy, EventConsumers, create_broker
from wellflow_servicekit.coalescing import Coalesce
from wellflow_servicekit.database import Database, UnitOfWork
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.outbox import OutboxRelay

from .sample_events import NoteAdded


async def record_notes(database: Database, tenant: UUID, count: int, *, wells: int = 10, start: int = 0) -> None:
    """Commit ``count`` NoteAdded events, one transaction per 50, spread over ``wells`` aggregates."""
    for offset in range(start, start + count, 50):
        async with database.unit_of_work(tenant) as uow:
            for seq in range(offset, min(offset + 50, start + count)):
                uow.record(NoteAdded(tenant_id=tenant, well=f"W-{seq % wells}", seq=seq))


async def applied(database: Database, tenant: UUID) -> list[tuple[str, int]]:
    async with database.unit_of_work(tenant) as uow:
        rows = await uow.connection.execute(text("SELECT aggregate, seq FROM applied_events ORDER BY id"))
        return [(row.aggregate, row.seq) for row in rows]


async def apply_note(uow: UnitOfWork, event: NoteAdded) -> None:
    await uow.connection.execute(
        text(
            "INSERT INTO applied_events (organization_id, event_id, aggregate, seq) "
            "VALUES (:org, :event_id, :aggregate, :seq)"
        ),
        {"org": event.tenant_id, "event_id": event.event_id, "aggregate": event.well, "seq": event.seq},
    )


class MiniService:
    def __init__(
        self,
        database: Database,
        nats_url: str,
        root: str,
        *,
        policy: ConsumerPolicy | None = None,
        handler: Callable[[UnitOfWork, NoteAdded], Awaitable[None]] = apply_note,
        coalesce: Coalesce | None = None,
    ) -> None:
        self.database = database
        self.metrics = Metrics()
        self.broker = create_broker(nats_url, service="kit")
        self.consumers = EventConsumers(
            broker=self.broker,
            database=database,
            service="kit",
            subject_root=root,
            policy=policy or ConsumerPolicy(max_deliver=3, backoff=(0.2, 0.4)),
            metrics=self.metrics,
        )
        self.consumers.handler("notes", NoteAdded, coalesce=coalesce)(handler)
        self.root = root
        self.relay: OutboxRelay | None = None

    async def start(self, *, relay: bool = True) -> None:
        await self.broker.start()
        await self.consumers.start()
        if relay:
            self.relay = self.make_relay()
            await self.relay.start()

    def make_relay(self, **kwargs) -> OutboxRelay:
        js = self.broker.config.connection_state.stream
        return OutboxRelay(
            self.database,
            js,
            stream=stream_name(self.root),
            metrics=self.metrics,
            poll_interval=0.2,
            **kwargs,
        )

    async def stop(self) -> None:
        if self.relay is not None:
            await self.relay.stop()
        await self.consumers.close()
        await self.broker.stop()
