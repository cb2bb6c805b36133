"""Slowing down password guessing on one account.

The first ``free_attempts`` failures cost nothing but the 401. After that, each further attempt must wait
``base_delay * 2**(n - free_attempts)`` seconds after the last failure (1, 2, 4, 8 s ...), and from
``lock_after`` failures the account is locked for ``lock_seconds``. Failures older than ``lock_seconds``
are forgotten, and a successful sign-in resets the count. An attempt made while waiting is refused
without checking the password, so it neither burns CPU nor counts as a failure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    free_attempts: int = 5
    lock_after: int = 10
    lock_seconds: int = 15 * 60
    base_delay: float = 1.0

    def effective_failures(self, failures: int, last_failed_at: datetime | None, now: datetime) -> int:
        """Failures that still count: none once the last one is older than the lock period."""
        if failures <= 0 or last_failed_at is None:
            return 0
        if now - last_failed_at >= timedelta(seconds=self.lock_seconds):
            return 0
        return failures

    def delay_after(self, failures: int) -> float:
        """How long after the last failure the next attempt is allowed."""
        if failures >= self.lock_after:
            return float(self.lock_seconds)
        if failures < self.free_attempts:
            return 0.0
        return float(self.base_delay * 2 ** (failures - self.free_attempts))

    def retry_after(self, failures: int, last_failed_at: datetime | None, now: datetime) -> int:
        """Whole seconds to wait before the next attempt is accepted; 0 when it may go ahead now."""
        counted = self.effective_failures(failures, last_failed_at, now)
        if counted == 0 or last_failed_at is None:
            return 0
        allowed_at = last_failed_at + timedelta(seconds=self.delay_after(counted))
        remaining = (allowed_at - now).total_seconds()
        return max(0, math.ceil(remaining))

    def is_locked(self, failures: int) -> bool:
        return failures >= self.lock_after
