"""The transactional outbox and its relay against real PostgreSQL and NATS JetStream."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import text

from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.outbox import OutboxRelay
from wellflow_servicekit.testing import until

from .harness import MiniService, applied, record_notes
from .sample_events import NoteAdded


class Boom(Exception):
    pass


async def test_a_committed_event_reaches_the_consumer_and_a_rolled_back_one_never_does(database, infra, root):
    tenant = uuid4()
    service = MiniService(database, infra.nats_url, root)
    await service.start()
    try:
        async with database.unit_of_work(tenant) as uow:
            uow.record(NoteAdded(tenant_id=tenant, well="W-1", seq=1))
        with pytest.raises(Boom):
            async with database.unit_of_work(tenant) as uow:
                uow.record(NoteAdded(tenant_id=tenant, well="W-1", seq=2))
                raise Boom
        async with database.unit_of_work(tenant) as uow:
            uow.record(NoteAdded(tenant_id=tenant, well="W-1", seq=3))

        await until(lambda: _count(database, tenant, 2))
        await asyncio.sleep(0.5)  # give a wrongly published event time to show up
        assert await applied(database, tenant) == [("W-1", 1), ("W-1", 3)]
        async with database.engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar_one() == 2
    finally:
        await service.stop()


async def _count(database, tenant, expected: int) -> bool:
    return len(await applied(database, tenant)) >= expected


class CrashBeforeMarkingSent(OutboxRelay):
    """Publishes, then dies before its transaction marks the rows sent."""

    async def _publish(self, rows):
        await super()._publish(rows)
        raise Boom("relay died after publishing")


async def test_a_relay_that_dies_after_publishing_loses_nothing_and_duplicates_nothing(database, infra, root, nc):
    tenant = uuid4()
    service = MiniService(database, infra.nats_url, root)
    await service.start(relay=False)
    try:
        await record_notes(database, tenant, 300)
        crashing = CrashBeforeMarkingSent(database, nc.jetstream(), stream=stream_name(root), batch_size=100)
        with pytest.raises(Boom):
            await crashing.publish_batch()  # 100 events are in the stream, all 300 still unpublished

        relay = service.make_relay(batch_size=100)
        await relay.drain()
        await until(lambda: _count(database, tenant, 300))
        await asyncio.sleep(0.5)
        seen = await applied(database, tenant)
        assert sorted(seq for _, seq in seen) == list(range(300))
        info = await nc.jetstream().stream_info(stream_name(root))
        assert info.state.messages == 300  # the republished 100 were dropped as duplicates
    finally:
        await service.stop()


async def test_a_relay_process_killed_mid_stream_loses_nothing_and_applies_nothing_twice(
    database, sample_db, infra, root
):
    tenant = uuid4()
    service = MiniService(database, infra.nats_url, root)
    await service.start(relay=False)
    child = None
    try:
        await record_notes(database, tenant, 3000, wells=50)
        env = {
            **os.environ,
            "RELAY_DATABASE_URL": sample_db.runtime_url,
            "RELAY_NATS_URL": infra.nats_url,
            "RELAY_ROOT": root,
        }
        child = subprocess.Popen([sys.executable, str(Path(__file__).parent / "relay_process.py")], env=env)
        await until(lambda: _count(database, tenant, 300), timeout=30)
        child.send_signal(signal.SIGKILL)  # no chance to mark its last batch
        child.wait(timeout=10)

        relay = service.make_relay()
        await relay.drain()
        await until(lambda: _count(database, tenant, 3000), timeout=30)
        await asyncio.sleep(0.5)
        seqs = Counter(seq for _, seq in await applied(database, tenant))
        assert len(seqs) == 3000
        assert max(seqs.values()) == 1
    finally:
        if child is not None and child.poll() is None:
            child.kill()
        await service.stop()


async def test_several_relays_share_the_outbox_and_keep_each_wells_events_in_order(database, infra, root, nc):
    tenant = uuid4()
    service = MiniService(database, infra.nats_url, root)
    await service.start(relay=False)
    try:
        await record_notes(database, tenant, 3000, wells=30)
        relays = [service.make_relay(batch_size=64) for _ in range(3)]
        await asyncio.gather(*(relay.drain() for relay in relays))
        await until(lambda: _count(database, tenant, 3000), timeout=30)
        seen = await applied(database, tenant)
        assert len(seen) == 3000
        by_well: dict[str, list[int]] = {}
        for well, seq in seen:
            by_well.setdefault(well, []).append(seq)
        for well, seqs in by_well.items():
            assert seqs == sorted(seqs), f"{well} applied out of order"
        info = await nc.jetstream().stream_info(stream_name(root))
        assert info.state.messages == 3000
    finally:
        await service.stop()


async def test_events_recorded_while_nats_is_down_are_published_when_it_returns(database, infra, root, nats_server):
    if not nats_server.restartable:
        pytest.skip("NATS comes from the environment; this test must stop and start it")
    tenant = uuid4()
    service = MiniService(database, infra.nats_url, root)
    await service.start()
    try:
        await record_notes(database, tenant, 100)
        await until(lambda: _count(database, tenant, 100))

        await asyncio.to_thread(nats_server.stop)
        await record_notes(database, tenant, 400, start=100)  # the database takes them; the relay cannot
        await asyncio.sleep(1.0)
        backlog = await service.relay.backlog()
        assert backlog.unpublished > 0

        await asyncio.to_thread(nats_server.start)
        await until(lambda: _count(database, tenant, 500), timeout=60)
        await asyncio.sleep(0.5)
        seqs = Counter(seq for _, seq in await applied(database, tenant))
        assert sorted(seqs) == list(range(500))
        assert max(seqs.values()) == 1
        assert (await service.relay.backlog()).unpublished == 0
    finally:
        await service.stop()
