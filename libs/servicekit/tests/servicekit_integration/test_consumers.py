"""Durable consumers: inbox, redelivery with backoff, dead letters and replay, on real NATS."""

from __future__ import annotations

import asyncio
import itertools
import time
from uuid import uuid4

from sqlalchemy import text

from wellflow_contracts import encode, to_headers
from wellflow_contracts.subjects import event_subject, stream_name
from wellflow_servicekit.broker import DeadLetters
from wellflow_servicekit.testing import until

from .harness import MiniService, applied, apply_note
from .sample_events import NoteAdded


async def test_a_redelivered_event_is_applied_once(database, infra, root, nc):
    tenant = uuid4()
    service = MiniService(database, infra.nats_url, root)
    await service.start(relay=False)
    try:
        event = NoteAdded(tenant_id=tenant, well="W-1", seq=7)
        headers = to_headers(event, source="/wellflow/kit")
        js = nc.jetstream()
        subject = event_subject(tenant, event.type, root)
        # Two copies with different message ids get past JetStream's de-duplication: only the inbox is left.
        await js.publish(subject, encode(event), headers={**headers, "Nats-Msg-Id": "copy-1"})
        await js.publish(subject, encode(event), headers={**headers, "Nats-Msg-Id": "copy-2"})
        await until(_handled(service, "duplicate", 1))
        assert await applied(database, tenant) == [("W-1", 7)]
    finally:
        await service.stop()


def _handled(service: MiniService, outcome: str, expected: int):
    async def check() -> bool:
        value = service.metrics.registry.get_sample_value(
            "consumer_handled_total", {"consumer": "kit-notes", "outcome": outcome}
        )
        return (value or 0) >= expected

    return check


async def test_a_failing_handler_is_retried_with_backoff_then_dead_lettered_without_blocking_others(
    database, infra, root, nc
):
    tenant = uuid4()
    attempts: list[float] = []
    fixed = asyncio.Event()

    async def handler(uow, event: NoteAdded) -> None:
        if event.seq == 13 and not fixed.is_set():
            attempts.append(time.monotonic())
            raise ValueError("cannot apply note 13")
        await apply_note(uow, event)

    service = MiniService(database, infra.nats_url, root, handler=handler)
    await service.start()
    try:
        async with database.unit_of_work(tenant) as uow:
            for seq in (12, 13, 14):
                uow.record(NoteAdded(tenant_id=tenant, well=f"W-{seq}", seq=seq))

        await until(lambda: _count_letters(database, 1), timeout=30)
        assert len(attempts) == 3  # max_deliver
        gaps = [later - earlier for earlier, later in itertools.pairwise(attempts)]
        assert gaps[0] >= 0.18 and gaps[1] >= 0.36  # backoff 0.2 s then 0.4 s
        # The poison message did not hold back the one behind it.
        assert sorted(seq for _, seq in await applied(database, tenant)) == [12, 14]

        letters = DeadLetters(database, nc.jetstream(), service="kit", subject_root=root)
        [letter] = await letters.list()
        assert letter.consumer == "kit-notes"
        assert letter.deliveries == 3
        assert letter.event_type == "kit.note_added.v1"
        assert "cannot apply note 13" in letter.error
        assert await letters.pending_count() == 1

        fixed.set()
        await letters.replay(letter.id)
        await until(_has_seq(database, tenant, 13), timeout=20)
        assert await letters.pending_count() == 0

        await letters.replay(letter.id)  # a second replay applies nothing twice
        await until(_handled(service, "duplicate", 1), timeout=20)
        assert sorted(seq for _, seq in await applied(database, tenant)) == [12, 13, 14]
    finally:
        await service.stop()


async def test_an_unreadable_message_goes_straight_to_the_dead_letters(database, infra, root, nc):
    service = MiniService(database, infra.nats_url, root)
    await service.start(relay=False)
    try:
        tenant = uuid4()
        subject = event_subject(tenant, "kit.note_added.v1", root)
        await nc.jetstream().publish(
            subject,
            b"{not json",
            headers={
                "ce-specversion": "1.0",
                "ce-type": "kit.note_added.v1",
                "ce-id": str(uuid4()),
                "ce-tenantid": str(tenant),
            },
            stream=stream_name(root),
        )
        await until(lambda: _count_letters(database, 1))
        [letter] = await DeadLetters(database, nc.jetstream(), service="kit", subject_root=root).list()
        assert letter.deliveries == 1
        assert letter.error.startswith("unreadable")
    finally:
        await service.stop()


async def _count_letters(database, expected: int) -> bool:
    async with database.engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM dead_letters"))).scalar_one() >= expected


def _has_seq(database, tenant, seq):
    async def check() -> bool:
        return any(s == seq for _, s in await applied(database, tenant))

    return check


async def test_an_event_whose_tenant_differs_from_its_subject_is_refused_never_applied(
    database, infra, root, nc, caplog
):
    """A publisher allowed on organization A's subjects (an outside system of A, a compromised service) must not
    get an event into B's data by naming B in the envelope (issue 19): the consumer checks the subject's tenant
    token against the envelope's and dead-letters a mismatch with an error log. A replay of that dead letter is
    checked against the subject it first came on, so it is refused again."""
    tenant_a, tenant_b = uuid4(), uuid4()
    service = MiniService(database, infra.nats_url, root)
    await service.start(relay=False)
    try:
        forged = NoteAdded(tenant_id=tenant_b, well="W-forged", seq=1)
        js = nc.jetstream()
        headers = to_headers(forged, source="/wellflow/kit")
        await js.publish(event_subject(tenant_a, forged.type, root), encode(forged), headers=headers)
        honest = NoteAdded(tenant_id=tenant_a, well="W-1", seq=2)
        await js.publish(
            event_subject(tenant_a, honest.type, root),
            encode(honest),
            headers=to_headers(honest, source="/wellflow/kit"),
        )
        await until(_has_seq(database, tenant_a, 2))
        await until(lambda: _count_letters(database, 1))
        assert await applied(database, tenant_b) == []
        letters = DeadLetters(database, js, service="kit", subject_root=root)
        [letter] = await letters.list()
        assert letter.error.startswith("unreadable: tenant mismatch") and str(tenant_a) in letter.error
        assert any("tenant mismatch" in record.getMessage() for record in caplog.records)

        await letters.replay(letter.id)
        await until(lambda: _count_letters(database, 2), timeout=20)
        assert await applied(database, tenant_b) == []
        assert await applied(database, tenant_a) == [("W-1", 2)]
    finally:
        await service.stop()
