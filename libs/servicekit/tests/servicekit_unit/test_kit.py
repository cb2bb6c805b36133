"""The plumbing every service shares: idempotent-create comparison, the fake unit of work, periodic tasks,
``until`` and repositories declared on a unit of work."""

import asyncio
from typing import Literal
from uuid import uuid4

import pytest

from wellflow_contracts import IntegrationEvent
from wellflow_servicekit.background import PeriodicTask
from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import check_same_request, jsonable, request_hash
from wellflow_servicekit.repository import repository
from wellflow_servicekit.testing import FakeDatabase, FakeUnitOfWork, InMemoryRepository, until


class NoteAdded(IntegrationEvent):
    type: Literal["kit.unit_note_added.v1"] = "kit.unit_note_added.v1"
    well: str
    seq: int


def test_a_retry_with_the_same_body_is_accepted():
    check_same_request({"name": "Smith 1", "lines": [{"a": 1}]}, {"name": "Smith 1", "lines": [{"a": 1}]}, noun="lease")


def test_a_retry_with_a_different_body_is_409_naming_each_differing_field():
    with pytest.raises(Conflict) as raised:
        check_same_request({"name": "Smith 1", "number": "7"}, {"name": "Jones 2", "number": "8"}, noun="lease")
    assert raised.value.slug == "id-in-use"
    assert [e["field"] for e in raised.value.errors] == ["body.name", "body.number"]


def test_request_hash_is_stable_across_key_order_and_keeps_decimals_exact():
    from decimal import Decimal

    assert request_hash({"a": Decimal("1.10"), "b": 2}) == request_hash({"b": 2, "a": Decimal("1.10")})
    assert request_hash({"a": Decimal("1.10")}) != request_hash({"a": Decimal("1.1")})
    assert jsonable({"x": [Decimal("2.50")]}) == {"x": ["2.50"]}


class Notes(InMemoryRepository):
    store_name = "notes"

    def add(self, key: str, text: str) -> None:
        self.put_row(key, {"text": text})


class NotesWork(FakeUnitOfWork):
    notes = repository(Notes)


async def test_fake_unit_of_work_keeps_events_and_rows_only_when_the_block_ends_cleanly():
    tenant = uuid4()
    database = FakeDatabase(NotesWork)
    async with database.unit_of_work(tenant) as uow:
        uow.notes.add("a", "kept")
        uow.record(NoteAdded(tenant_id=tenant, well="W-1", seq=1))
    with pytest.raises(RuntimeError):
        async with database.unit_of_work(tenant) as uow:
            uow.notes.add("b", "rolled back")
            uow.record(NoteAdded(tenant_id=tenant, well="W-1", seq=2))
            raise RuntimeError("boom")
    assert [e.seq for e in database.committed] == [1]
    async with database.unit_of_work(tenant) as uow:
        assert uow.notes.get_row("a")["text"] == "kept"
        assert uow.notes.get_row("b") is None
    async with database.unit_of_work(uuid4()) as other:
        assert other.notes.get_row("a") is None, "another tenant's row is invisible, as under RLS"


async def test_fake_unit_of_work_refuses_an_event_of_another_tenant():
    async with FakeDatabase().unit_of_work(uuid4()) as uow:
        with pytest.raises(ValueError, match="tenant"):
            uow.record(NoteAdded(tenant_id=uuid4(), well="W-1", seq=1))


async def test_periodic_task_runs_again_after_a_failing_round_and_stops():
    calls = []

    async def job():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first round fails")

    task = PeriodicTask("test-task", job, interval=0.01)
    await task.start()
    await until(lambda: asyncio.sleep(0, len(calls) >= 3), 5, "three rounds")
    await task.stop()
    stopped_at = len(calls)
    await asyncio.sleep(0.05)
    assert len(calls) == stopped_at


async def test_until_names_what_did_not_happen():
    async def never():
        return 0

    with pytest.raises(AssertionError, match="the sky falling did not happen"):
        await until(never, 0.05, "the sky falling")
