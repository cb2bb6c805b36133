"""Creating a durable consumer whose JetStream API request times out is asked again, a bounded number of times."""

from __future__ import annotations

from typing import Any

import pytest
from nats.errors import TimeoutError as NatsTimeoutError

from wellflow_servicekit import jetstream as broker


class _SlowJetStream:
    def __init__(self, timeouts: int) -> None:
        self.timeouts = timeouts
        self.calls: list[str] = []

    async def pull_subscribe(self, subject: str, *, durable: str, stream: str, config: Any) -> str:
        self.calls.append(durable)
        if len(self.calls) <= self.timeouts:
            raise NatsTimeoutError
        return f"pull:{durable}"


async def _no_sleep(seconds: float) -> None:
    return None


async def _subscribe(js: _SlowJetStream) -> Any:
    return await broker.pull_subscribe(js, "wf.x.wells", durable="production-wells", stream="WF_X", config=None)


async def test_a_timed_out_creation_is_asked_again_until_it_answers(monkeypatch) -> None:
    monkeypatch.setattr(broker.asyncio, "sleep", _no_sleep)
    js = _SlowJetStream(timeouts=2)
    assert await _subscribe(js) == "pull:production-wells"
    assert js.calls == ["production-wells"] * 3


async def test_creation_gives_up_after_its_attempts(monkeypatch) -> None:
    monkeypatch.setattr(broker.asyncio, "sleep", _no_sleep)
    js = _SlowJetStream(timeouts=broker.CONSUMER_CREATE_ATTEMPTS)
    with pytest.raises(NatsTimeoutError):
        await _subscribe(js)
    assert len(js.calls) == broker.CONSUMER_CREATE_ATTEMPTS
