"""When a failed webhook delivery is tried again: exponential backoff, capped, for a day, then given up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: float = 10.0  # seconds after the first failure
    max_delay: float = 3600.0  # the delay stops doubling here
    give_up_after: float = 86400.0  # seconds since the delivery was created

    def delay(self, attempts: int) -> float:
        """The wait after ``attempts`` failed attempts: first_delay, then doubling up to max_delay."""
        return float(min(self.first_delay * 2.0 ** max(attempts - 1, 0), self.max_delay))

    def next_attempt(self, created_at: datetime, attempts: int, now: datetime) -> datetime | None:
        """When to try again after the ``attempts``-th failure, or None once the day is over."""
        deadline = created_at + timedelta(seconds=self.give_up_after)
        if now >= deadline:
            return None
        return min(now + timedelta(seconds=self.delay(attempts)), deadline)
