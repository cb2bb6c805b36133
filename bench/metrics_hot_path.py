"""What the metrics cost on the hot paths, per operation, in one process (no servers needed).

    python bench/metrics_hot_path.py [--ops 200000]

- a request: the label lookup and observation the HTTP middleware makes, as it was (``labels(...)`` with a
  new label tuple every request) and as it is (``Metrics.observe_request``: the label child is kept);
- a handled event: every instrument a consumer touches for one event (handling time, lag, last handled,
  outcome);
- a repository call: a trivial ``async def`` with and without the timing wrapper ``Repository`` adds.

Target: a few µs each, under 1% of a request or handled event (about a millisecond each here) and a few % of
a repository call (one or more PostgreSQL round trips, 100 µs and up).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from types import SimpleNamespace

from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.repository import Repository

ROUTES = [f"/api/v1/things{i}/{{thing_id}}" for i in range(20)]


def per_op(fn, ops: int) -> float:
    started = time.perf_counter()
    fn(ops)
    return (time.perf_counter() - started) / ops * 1e6


def request_before(metrics: Metrics, ops: int) -> None:
    histogram = metrics.http_request_duration_seconds
    for i in range(ops):
        histogram.labels(method="GET", route=ROUTES[i % 20], status=str(200)).observe(0.004)


def request_now(metrics: Metrics, ops: int) -> None:
    for i in range(ops):
        metrics.observe_request("GET", ROUTES[i % 20], 200, 0.004)


def event_now(metrics: Metrics, ops: int) -> None:
    occurred = time.time() - 0.01
    for _ in range(ops):
        instruments = metrics.consumer("production-wells")
        instruments.handle.observe(0.002)
        now = time.time()
        instruments.lag.observe(now - occurred)
        instruments.last_handled.set(now)
        metrics.consumer_outcome(instruments, "production-wells", "applied")


class SqlThings(Repository):
    async def get(self) -> int:
        return 1


class PlainThings:
    def __init__(self, uow: object) -> None:
        self.uow = uow

    async def get(self) -> int:
        return 1


async def repository_calls(repository, ops: int) -> float:
    started = time.perf_counter()
    for _ in range(ops):
        await repository.get()
    return (time.perf_counter() - started) / ops * 1e6


async def main(ops: int) -> None:
    before = per_op(lambda n: request_before(Metrics(), n), ops)
    now = per_op(lambda n: request_now(Metrics(), n), ops)
    event = per_op(lambda n: event_now(Metrics(), n), ops)
    uow = SimpleNamespace(database=SimpleNamespace(metrics=Metrics()))
    plain = await repository_calls(PlainThings(uow), ops)
    timed = await repository_calls(SqlThings(uow), ops)
    print(f"{ops:,} operations each (target: a few µs; under 1% of a ~1 ms request or event)")
    print(f"request observation, labels() every time (before): {before:.2f} µs")
    print(f"request observation, kept label child (now):       {now:.2f} µs")
    print(f"one handled event, all consumer instruments:       {event:.2f} µs")
    print(f"repository call without timing:                    {plain:.2f} µs")
    print(f"repository call with timing:                       {timed:.2f} µs (adds {timed - plain:.2f} µs)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=200_000)
    asyncio.run(main(parser.parse_args().ops))
