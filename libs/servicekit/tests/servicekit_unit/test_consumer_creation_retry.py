"""Creating a durable consumer whose JetStream API request times out is asked again, a bounded number of times."""

from __future__ import annotations

from typing import Any

import pytest
from nats.errors import TimeoutError as NatsTimeoutError

from wellflow_servicekit import consumers
from wellflow_servicekit.consumers import EventConsumers, _Subscription


class _SlowJetStream:
    def __init__(self, timeouts: int) -> None:
        self.timeouts = timeouts
        self.calls: list[str] = []

    async def pull_subscribe(self, subject: str, *, durable: str, stream: str, config: Any) -> str:
        self.calls.append(durable)
        if len(self.calls) <= self.timeouts:
            raise NatsTimeoutError
        return f"pull:{durable}"


def _consumers() -> EventConsumers:
    return EventConsumers(broker=None, database=None, service="production")  # type: ignore[arg-type]


async def _no_sleep(seconds: float) -> None:
    return None


def _subscription() -> _Subscription:
    return _Subscription("production-wells", "wf.x.wells", "wells", None, None)  # type: ignore[arg-type]


async def test_a_timed_out_creation_is_asked_again_until_it_answers(monkeypatch) -> None:
    monkeypatch.setattr(consumers.asyncio, "sleep", _no_sleep)
    js = _SlowJetStream(timeouts=2)
    assert await _consumers()._pull_subscribe(js, _subscription()) == "pull:production-wells"  # type: ignore[arg-type]
    assert js.calls == ["production-wells"] * 3


async def test_creation_gives_up_after_its_attempts(monkeypatch) -> None:
    monkeypatch.setattr(consumers.asyncio, "sleep", _no_sleep)
    js = _SlowJetStream(timeouts=consumers.CONSUMER_CREATE_ATTEMPTS)
    with pytest.raises(NatsTimeoutError):
        await _consumers()._pull_subscribe(js, _subscription())  # type: ignore[arg-type]
    assert len(js.calls) == consumers.CONSUMER_CREATE_ATTEMPTS
