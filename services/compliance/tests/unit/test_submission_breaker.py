"""The portal breaker: pybreaker's states driven from asyncio, with exactly one trial call when half-open."""

from __future__ import annotations

import asyncio

import pytest

from wellflow_compliance.adapters.breaker import BreakerOpen, PortalBreaker
from wellflow_compliance.adapters.portal import PortalRejected, PortalUnavailable


class Portal:
    """Counts calls; fails, rejects or waits as told."""

    def __init__(self) -> None:
        self.calls = 0
        self.mode = "fail"
        self.release = asyncio.Event()

    async def __call__(self) -> str:
        self.calls += 1
        if self.mode == "wait":
            await self.release.wait()
            return "filed"
        if self.mode == "fail":
            raise PortalUnavailable("portal answered 503")
        if self.mode == "reject":
            raise PortalRejected(["Operator number must be 6 digits."])
        return "filed"


async def fail_times(breaker: PortalBreaker, portal: Portal, times: int) -> None:
    for _ in range(times):
        with pytest.raises(PortalUnavailable):
            await breaker.call(portal)


async def test_opens_after_fail_max_consecutive_failures_and_stops_calling() -> None:
    changes: list[str] = []
    breaker, portal = PortalBreaker(fail_max=3, reset_timeout=60, on_state_change=changes.append), Portal()
    await fail_times(breaker, portal, 2)
    assert breaker.state == "closed" and breaker.fail_counter == 2
    await fail_times(breaker, portal, 1)  # the third failure trips it and is raised as the portal's own error
    assert breaker.state == "open" and changes == ["open"]
    for _ in range(10):
        with pytest.raises(BreakerOpen) as refused:
            await breaker.call(portal)
        assert 59 < refused.value.retry_after <= 60
    assert portal.calls == 3 and breaker.calls_refused == 10


async def test_a_success_resets_the_count_of_consecutive_failures() -> None:
    breaker, portal = PortalBreaker(fail_max=3, reset_timeout=60), Portal()
    await fail_times(breaker, portal, 2)
    portal.mode = "ok"
    assert await breaker.call(portal) == "filed"
    portal.mode = "fail"
    await fail_times(breaker, portal, 2)
    assert breaker.state == "closed"


async def test_rejections_prove_the_portal_is_up_and_never_open_the_breaker() -> None:
    breaker, portal = PortalBreaker(fail_max=2, reset_timeout=60), Portal()
    portal.mode = "reject"
    for _ in range(5):
        with pytest.raises(PortalRejected):
            await breaker.call(portal)
    assert breaker.state == "closed" and breaker.fail_counter == 0


async def test_half_open_lets_exactly_one_trial_through_and_closes_on_its_success() -> None:
    breaker, portal = PortalBreaker(fail_max=1, reset_timeout=0.1), Portal()
    await fail_times(breaker, portal, 1)
    await asyncio.sleep(0.12)
    portal.mode = "wait"
    trial = asyncio.create_task(breaker.call(portal))
    await asyncio.sleep(0)
    assert breaker.state == "half-open"
    async with asyncio.timeout(2):  # a caller queuing behind the trial instead of being refused would hang here
        others = await asyncio.gather(*(breaker.call(portal) for _ in range(20)), return_exceptions=True)
    assert all(isinstance(result, BreakerOpen) for result in others)
    assert portal.calls == 2  # the failure that opened it, and the one trial
    portal.release.set()
    assert await trial == "filed"
    assert breaker.state == "closed"
    portal.mode = "ok"
    assert await breaker.call(portal) == "filed"


async def test_a_failed_trial_opens_the_breaker_for_another_reset_timeout() -> None:
    changes: list[str] = []
    breaker, portal = PortalBreaker(fail_max=1, reset_timeout=0.1, on_state_change=changes.append), Portal()
    await fail_times(breaker, portal, 1)
    await asyncio.sleep(0.12)
    await fail_times(breaker, portal, 1)  # the trial
    assert changes == ["open", "half-open", "open"]
    with pytest.raises(BreakerOpen):
        await breaker.call(portal)
    assert portal.calls == 2


async def test_a_cancelled_trial_counts_as_nothing_and_the_next_caller_may_try() -> None:
    breaker, portal = PortalBreaker(fail_max=1, reset_timeout=0.1), Portal()
    await fail_times(breaker, portal, 1)
    await asyncio.sleep(0.12)
    portal.mode = "wait"
    trial = asyncio.create_task(breaker.call(portal))
    await asyncio.sleep(0)
    trial.cancel()
    with pytest.raises(asyncio.CancelledError):
        await trial
    assert breaker.state == "half-open"
    portal.mode = "ok"
    assert await breaker.call(portal) == "filed"
    assert breaker.state == "closed"


async def test_a_late_outcome_from_before_the_breaker_opened_is_ignored() -> None:
    breaker, slow, fast = PortalBreaker(fail_max=1, reset_timeout=60), Portal(), Portal()
    slow.mode = "wait"
    pending = asyncio.create_task(breaker.call(slow))  # admitted while closed
    await asyncio.sleep(0)
    await fail_times(breaker, fast, 1)  # opens the breaker
    slow.release.set()
    assert await pending == "filed"
    assert breaker.state == "open"  # a stale success does not close it


async def test_the_snapshot_shows_the_state_for_health_and_metrics() -> None:
    breaker, portal = PortalBreaker(fail_max=1, reset_timeout=30), Portal()
    assert breaker.snapshot()["state"] == "closed"
    await fail_times(breaker, portal, 1)
    snapshot = breaker.snapshot()
    assert snapshot["state"] == "open" and snapshot["opened_at"] is not None
    assert 29 < snapshot["retry_after_seconds"] <= 30
