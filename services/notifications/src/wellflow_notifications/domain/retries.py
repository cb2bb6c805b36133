"""When a failed email or SMS is tried again: exponential backoff, capped, for a day, then given up (and listed
with the failed deliveries an owner can look at and send again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: float = 30.0  # seconds after the first failure
    max_delay: float = 3600.0
    give_up_after: float = 86400.0  # seconds since the delivery was made

    def delay(self, attempts: int) -> float:
        return float(min(self.first_delay * 2.0 ** max(attempts - 1, 0), self.max_delay))

    def next_attempt(self, created_at: datetime, attempts: int, now: datetime) -> datetime | None:
        deadline = created_at + timedelta(seconds=self.give_up_after)
        if now >= deadline:
            return None
        return min(now + timedelta(seconds=self.delay(attempts)), deadline)
