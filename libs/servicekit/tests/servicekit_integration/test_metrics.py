"""The on-call metrics from real code on real NATS and PostgreSQL: a stuck consumer's pending count rises
and falls, event lag and handling time are observed, the relay's rounds, the pool and repository calls."""

from __future__ import annotations

import asyncio
from uuid import uuid4

from sqlalchemy import text

from wellflow_servicekit.repository import Repository
from wellflow_servicekit.testing import until

from .harness import MiniService, apply_note, record_notes
from .sample_events import NoteAdded


def value(service: MiniService, name: str, **labels: str) -> float:
    return service.metrics.registry.get_sample_value(name, labels) or 0.0


async def test_a_stuck_consumers_pending_count_rises_while_events_flow_and_falls_once_it_moves(database, infra, root):
    gate = asyncio.Event()

    async def slow_handler(uow, event: NoteAdded) -> None:
        await gate.wait()
        await apply_note(uow, event)

    tenant = uuid4()
    service = MiniService(database, infra.nats_url, root, handler=slow_handler)
    await service.start()
    try:
        await record_notes(database, tenant, 60, wells=60)
        await until(lambda: _published(service, 60))
        await service.consumers.refresh_pending()
        first = value(service, "consumer_pending_messages", consumer="kit-notes")
        in_hand = value(service, "consumer_ack_pending_messages", consumer="kit-notes")
        assert in_hand >= 1  # fetched and held by the stuck handler
        assert first + in_hand == 60

        await record_notes(database, tenant, 100, wells=60, start=60)
        await until(lambda: _published(service, 160))
        await service.consumers.refresh_pending()
        assert value(service, "consumer_pending_messages", consumer="kit-notes") == first + 100
        assert value(service, "consumer_last_handled_timestamp_seconds", consumer="kit-notes") == 0

        gate.set()
        await until(lambda: _handled(service, 160), timeout=30)
        await service.consumers.refresh_pending()
        assert value(service, "consumer_pending_messages", consumer="kit-notes") == 0
        assert value(service, "consumer_ack_pending_messages", consumer="kit-notes") == 0
        # the replay durable is reported too, under its own name
        assert (
            service.metrics.registry.get_sample_value("consumer_pending_messages", {"consumer": "kit-notes-replay"})
            == 0
        )
    finally:
        gate.set()
        await service.stop()

    labels = {"consumer": "kit-notes"}
    assert value(service, "consumer_handle_duration_seconds_count", **labels) == 160
    assert value(service, "consumer_event_lag_seconds_count", **labels) == 160
    # the events waited behind the stuck handler: their lag shows it, and none is negative
    assert value(service, "consumer_event_lag_seconds_bucket", le="0.01", **labels) < 160
    assert value(service, "consumer_event_lag_seconds_sum", **labels) > 0
    assert value(service, "consumer_last_handled_timestamp_seconds", **labels) > 1.7e9
    assert value(service, "outbox_publish_batch_size_sum") == 160
    assert value(service, "outbox_publish_batch_size_count") >= 1
    assert value(service, "outbox_publish_duration_seconds_count") == value(service, "outbox_publish_batch_size_count")


async def _published(service: MiniService, count: int) -> bool:
    return value(service, "outbox_published_total") >= count


async def _handled(service: MiniService, count: int) -> bool:
    return value(service, "consumer_handled_total", consumer="kit-notes", outcome="applied") >= count


class SqlAppliedEvents(Repository):
    async def count(self) -> int:
        return int(await self.scalar(text("SELECT count(*) FROM applied_events")))


async def test_the_pool_and_repository_calls_are_reported_from_a_real_database(database):
    from wellflow_servicekit.metrics import Metrics

    metrics = Metrics()
    database.attach_metrics(metrics)
    registry = metrics.registry
    assert registry.get_sample_value("db_pool_connections_max") == 25  # pool_size 20 + overflow 5
    tenant = uuid4()
    opened = asyncio.Event()
    release = asyncio.Event()

    async def hold() -> None:
        async with database.unit_of_work(tenant) as uow:
            assert await SqlAppliedEvents(uow).count() == 0
            opened.set()
            await release.wait()

    task = asyncio.create_task(hold())
    await opened.wait()
    assert registry.get_sample_value("db_pool_connections_in_use") == 1
    release.set()
    await task
    assert registry.get_sample_value("db_pool_connections_in_use") == 0
    assert registry.get_sample_value("db_pool_waiting") == 0
    labels = {"repository": "SqlAppliedEvents", "method": "count"}
    assert registry.get_sample_value("db_repository_duration_seconds_count", labels) == 1
