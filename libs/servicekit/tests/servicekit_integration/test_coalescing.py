"""Coalescing consumers: a burst of one key's revisions is applied once (the newest), every event is claimed in
the inbox and acknowledged after the commit, and a batch that fails falls back to one event at a time."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import text

from wellflow_contracts import encode, to_headers
from wellflow_contracts.subjects import event_subject, stream_name
from wellflow_servicekit.broker import ConsumerPolicy, DeadLetters
from wellflow_servicekit.coalescing import Coalesce
from wellflow_servicekit.testing import until

from .harness import MiniService, applied, apply_note
from .sample_events import NoteAdded

BY_WELL = Coalesce(key=lambda e: e.well, revision=lambda e: e.seq)


async def _publish(nc, root: str, event: NoteAdded, msg_id: str | None = None) -> None:
    headers = to_headers(event, source="/wellflow/kit")
    if msg_id is not None:
        headers["Nats-Msg-Id"] = msg_id
    await nc.jetstream().publish(
        event_subject(event.tenant_id, event.type, root), encode(event), headers=headers, stream=stream_name(root)
    )


async def _claimed(database, tenant) -> set[str]:
    async with database.unit_of_work(tenant) as uow:
        rows = await uow.connection.execute(
            text("SELECT event_id::text FROM inbox WHERE consumer = 'kit-notes' AND tenant_id = :t"), {"t": tenant}
        )
        return {row[0] for row in rows}


def _outcome(service: MiniService, outcome: str) -> float:
    value = service.metrics.registry.get_sample_value(
        "consumer_handled_total", {"consumer": "kit-notes", "outcome": outcome}
    )
    return value or 0


async def test_a_burst_of_one_keys_revisions_is_applied_once_from_the_newest(database, infra, root, nc):
    tenant = uuid4()
    calls: list[tuple[str, int]] = []

    async def handler(uow, event: NoteAdded) -> None:
        calls.append((event.well, event.seq))
        await apply_note(uow, event)

    policy = ConsumerPolicy(max_deliver=3, backoff=(0.2, 0.4), coalesce_linger=0.5)
    service = MiniService(database, infra.nats_url, root, policy=policy, handler=handler, coalesce=BY_WELL)
    await service.start(relay=False)
    try:
        # Revisions of W-1 out of order (7 arrives after 9): the newest wins wherever it is in the burst.
        burst = [NoteAdded(tenant_id=tenant, well=w, seq=s) for w, s in [("W-1", 5), ("W-2", 1), ("W-1", 9)]]
        burst += [NoteAdded(tenant_id=tenant, well="W-1", seq=7), NoteAdded(tenant_id=tenant, well="W-2", seq=2)]
        for event in burst:
            await _publish(nc, root, event)
        ids = {str(e.event_id) for e in burst}
        await until(lambda: _claimed_all(database, tenant, ids))
        await until(_settled(service, 5))
        assert sorted(calls) == [("W-1", 9), ("W-2", 2)]
        assert _outcome(service, "coalesced") == 3

        # A redelivery of an event that rode along with the newest finds its claim: nothing is applied again.
        await _publish(nc, root, burst[0], msg_id="copy-of-5")
        await until(lambda: _has_duplicate(service))
        assert sorted(calls) == [("W-1", 9), ("W-2", 2)]
        assert sorted(await applied(database, tenant)) == [("W-1", 9), ("W-2", 2)]
    finally:
        await service.stop()


async def test_a_failing_batch_is_handled_one_event_at_a_time(database, infra, root, nc):
    tenant = uuid4()

    async def handler(uow, event: NoteAdded) -> None:
        if event.seq == 13:
            raise ValueError("cannot apply note 13")
        await apply_note(uow, event)

    policy = ConsumerPolicy(max_deliver=3, backoff=(0.2, 0.4), coalesce_linger=0.5)
    service = MiniService(database, infra.nats_url, root, policy=policy, handler=handler, coalesce=BY_WELL)
    await service.start(relay=False)
    try:
        for seq in (11, 12, 13):
            await _publish(nc, root, NoteAdded(tenant_id=tenant, well="W-1", seq=seq))
        letters = DeadLetters(database, nc.jetstream(), service="kit", subject_root=root)
        await until(lambda: _letters(letters, 1), timeout=30)
        # The poison event took none of the others with it: each was applied on its own, then 13 dead-lettered.
        assert sorted(await applied(database, tenant)) == [("W-1", 11), ("W-1", 12)]
        [letter] = await letters.list()
        assert "cannot apply note 13" in letter.error
    finally:
        await service.stop()


async def _claimed_all(database, tenant, ids: set[str]) -> bool:
    return ids <= await _claimed(database, tenant)


def _settled(service: MiniService, expected: int):
    async def check() -> bool:
        done = _outcome(service, "applied") + _outcome(service, "coalesced") + _outcome(service, "duplicate")
        return done >= expected

    return check


async def _has_duplicate(service: MiniService) -> bool:
    return _outcome(service, "duplicate") >= 1


async def _letters(letters: DeadLetters, count: int) -> bool:
    return len(await letters.list()) >= count
