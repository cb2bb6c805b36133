"""The circuit breaker in front of the RRC portal: pybreaker's state machine, driven correctly from asyncio.

pybreaker 1.4 cannot guard a coroutine by itself (docs/stack-notes.md#circuit-breaker-and-retries):
`call_async` needs tornado, decorating an `async def` counts a success before the coroutine even runs, and
`with breaker.calling(): await ...` lets every concurrent caller through while half-open and counts a
cancelled call as a failure. So this wrapper:

- decides admission itself, before the call: closed lets everyone through; open refuses (`BreakerOpen`,
  with the seconds left) until `reset_timeout` has passed; then exactly one caller, holding an asyncio lock,
  half-opens the breaker and makes the trial call while every other caller is refused;
- awaits the call, then reports its outcome to pybreaker synchronously (`breaker.call` of a function that
  returns or raises the recorded outcome), so pybreaker's counters, thresholds, transitions and listeners
  stay the single source of truth;
- never counts a cancelled call, and ignores the late outcome of a call admitted before the breaker last
  changed state (a call admitted while closed that ends after the breaker opened says nothing new);
- treats `PortalRejected` as a success of the portal (it answered; the report was wrong), via `exclude`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import pybreaker

from ..app.submissions.portal import BreakerOpen, PortalRejected

__all__ = ["BreakerOpen", "PortalBreaker"]

T = TypeVar("T")

CLOSED, OPEN, HALF_OPEN = pybreaker.STATE_CLOSED, pybreaker.STATE_OPEN, pybreaker.STATE_HALF_OPEN
STATE_VALUES = {CLOSED: 0, HALF_OPEN: 1, OPEN: 2}  # the `portal_breaker_state` gauge


class _StateChanges(pybreaker.CircuitBreakerListener):
    def __init__(self, owner: PortalBreaker) -> None:
        self.owner = owner

    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:
        self.owner._state_changed(new_state.name)


class PortalBreaker:
    """A pybreaker `CircuitBreaker` for async calls; one per process, shared by every submission."""

    def __init__(
        self,
        *,
        fail_max: int,
        reset_timeout: float,
        name: str = "rrc-portal",
        on_state_change: Callable[[str], None] | None = None,
    ) -> None:
        self._storage = pybreaker.CircuitMemoryStorage(CLOSED)
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=fail_max,
            reset_timeout=reset_timeout,
            exclude=[PortalRejected],
            state_storage=self._storage,
            listeners=[_StateChanges(self)],
            name=name,
            throw_new_error_on_trip=False,  # the caller sees the portal's own error, not pybreaker's
        )
        self._trial = asyncio.Lock()
        self._generation = 0
        self._on_state_change = on_state_change
        self.calls_refused = 0

    @property
    def state(self) -> str:
        """closed, open or half-open."""
        return self._breaker.current_state

    @property
    def fail_counter(self) -> int:
        return self._breaker.fail_counter

    @property
    def fail_max(self) -> int:
        return self._breaker.fail_max

    @property
    def reset_timeout(self) -> float:
        return float(self._breaker.reset_timeout)

    @property
    def opened_at(self) -> datetime | None:
        return self._storage.opened_at if self.state != CLOSED else None

    def retry_after(self) -> float:
        """Seconds until an open breaker lets a trial call through (0 when closed or due)."""
        opened_at = self._storage.opened_at
        if self.state != OPEN or opened_at is None:
            return 0.0
        elapsed = (datetime.now(UTC) - opened_at).total_seconds()
        return max(0.0, self.reset_timeout - elapsed)

    def snapshot(self) -> dict[str, Any]:
        """What health and the API show."""
        opened_at = self.opened_at
        return {
            "state": self.state,
            "failures": self.fail_counter,
            "fail_max": self.fail_max,
            "reset_timeout_seconds": self.reset_timeout,
            "opened_at": opened_at.isoformat() if opened_at else None,
            "retry_after_seconds": round(self.retry_after(), 3),
            "trial_in_progress": self._trial.locked(),
        }

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Await `fn()` if the breaker admits it, report its outcome, and return or raise it."""
        if self.state == CLOSED:
            return await self._run(fn, self._generation)
        if self.state == OPEN and self.retry_after() > 0:
            self.calls_refused += 1
            raise BreakerOpen(self.retry_after())
        if self._trial.locked():  # another caller's trial is out: one at a time
            self.calls_refused += 1
            raise BreakerOpen(0.0)
        async with self._trial:  # acquired without yielding: no other caller can slip in between
            if self.state == OPEN:
                if self.retry_after() > 0:  # the previous trial failed while we waited to get here
                    self.calls_refused += 1
                    raise BreakerOpen(self.retry_after())
                self._breaker.half_open()
            return await self._run(fn, self._generation)

    async def _run(self, fn: Callable[[], Awaitable[T]], generation: int) -> T:
        try:
            result = await fn()
        except asyncio.CancelledError:
            raise  # the call was abandoned, not failed: it proves nothing about the portal
        except Exception as exc:
            self._report(exc, generation)
            raise
        self._report(None, generation)
        return result

    def _report(self, error: Exception | None, generation: int) -> None:
        if generation != self._generation or self.state == OPEN:
            return  # admitted under an earlier state: a stale outcome

        def outcome() -> None:
            if error is not None:
                raise error

        try:
            self._breaker.call(outcome)
        except pybreaker.CircuitBreakerError:
            pass
        except Exception as exc:
            if exc is not error:
                raise

    def _state_changed(self, state: str) -> None:
        self._generation += 1
        if self._on_state_change is not None:
            self._on_state_change(state)
