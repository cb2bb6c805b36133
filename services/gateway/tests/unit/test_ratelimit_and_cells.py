from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import pytest

from wellflow_gateway.cells import CellRouter
from wellflow_gateway.ratelimit import TokenBucketLimiter, retry_after_seconds


@dataclass
class Clock:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refuses_with_the_wait():
    clock = Clock()
    limiter = TokenBucketLimiter(rate=2.0, burst=3, clock=clock)
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("a")
    assert wait == pytest.approx(0.5)
    assert retry_after_seconds(wait) == 1
    clock.now += 0.5
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0


def test_buckets_are_per_key_and_refill_to_the_burst_only():
    clock = Clock()
    limiter = TokenBucketLimiter(rate=1.0, burst=2, clock=clock)
    limiter.acquire("a")
    limiter.acquire("a")
    assert limiter.acquire("a") > 0
    assert limiter.acquire("b") == 0.0
    clock.now += 1000
    assert limiter.peek("a") == 2.0


def test_refusals_do_not_consume_tokens():
    clock = Clock()
    limiter = TokenBucketLimiter(rate=1.0, burst=1, clock=clock)
    limiter.acquire("a")
    for _ in range(10):
        assert limiter.acquire("a") > 0
    clock.now += 1.0
    assert limiter.acquire("a") == 0.0


def test_idle_buckets_are_swept():
    clock = Clock()
    limiter = TokenBucketLimiter(rate=10.0, burst=10, clock=clock)
    for index in range(100):
        limiter.acquire(f"ip-{index}")
    assert len(limiter) == 100
    clock.now += 5
    limiter.acquire("fresh")
    assert len(limiter) == 1


def test_key_count_is_bounded_under_a_flood():
    limiter = TokenBucketLimiter(rate=0.001, burst=1, clock=Clock(), max_keys=100)
    for index in range(1000):
        limiter.acquire(f"ip-{index}")
    assert len(limiter) <= 101


def test_invalid_limits_are_rejected():
    with pytest.raises(ValueError):
        TokenBucketLimiter(rate=0, burst=1)


ORG_A = UUID("0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d01")
ORG_B = UUID("0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d02")


@pytest.fixture
def cells() -> CellRouter:
    return CellRouter(
        {"identity": "http://id", "wells": "http://wells-default"},
        {"eu": {"wells": "http://wells-eu"}},
        {ORG_B: "eu"},
    )


def test_tenants_go_to_their_cell_and_others_to_the_default(cells: CellRouter):
    assert cells.resolve(ORG_B, "wells") == ("eu", "http://wells-eu")
    assert cells.resolve(ORG_A, "wells") == ("default", "http://wells-default")
    assert cells.resolve(None, "wells") == ("default", "http://wells-default")


def test_global_services_are_shared_and_others_never_fall_back(cells: CellRouter):
    assert cells.resolve(ORG_B, "identity") == ("eu", "http://id")
    assert cells.resolve(ORG_B, "production") == ("eu", None)
    cells.cells["default"]["production"] = "http://prod-default"
    assert cells.resolve(ORG_B, "production") == ("eu", None)  # not served by another cell's data service


def test_cell_table_is_validated():
    with pytest.raises(ValueError, match="unknown cell"):
        CellRouter({}, {}, {ORG_A: "nowhere"})
    with pytest.raises(ValueError, match="reserved"):
        CellRouter({}, {"default": {}}, {})
