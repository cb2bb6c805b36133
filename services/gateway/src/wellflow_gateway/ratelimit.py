"""Token-bucket rate limits, kept in the gateway's memory.

One bucket per key (a principal, or a client IP): it holds up to `burst` tokens and refills at `rate`
tokens per second; a request takes one token or is refused with the seconds until one is available
(the Retry-After of the 429). Limits are per gateway replica: with N replicas a client may get up to N
times the configured rate. Idle buckets that have refilled completely are dropped, so memory follows
the number of recently active clients.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class TokenBucketLimiter:
    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = float(rate)
        self.burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, updated_at)
        self._max_keys = max_keys
        self._last_sweep = clock()
        # A bucket untouched this long is full again, and dropping it changes nothing.
        self._idle_after = self.burst / self.rate

    def acquire(self, key: str, cost: float = 1.0) -> float:
        """Take `cost` tokens: 0.0 when allowed, else the seconds to wait before trying again."""
        now = self._clock()
        tokens, updated = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - updated) * self.rate)
        if tokens >= cost:
            self._buckets[key] = (tokens - cost, now)
            allowed = True
        else:
            self._buckets[key] = (tokens, now)
            allowed = False
        if now - self._last_sweep > self._idle_after or len(self._buckets) > self._max_keys:
            self._sweep(now)
        return 0.0 if allowed else (cost - tokens) / self.rate

    def peek(self, key: str) -> float:
        """Tokens `key` has now, without taking any."""
        now = self._clock()
        tokens, updated = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - updated) * self.rate)

    def _sweep(self, now: float) -> None:
        self._last_sweep = now
        idle = [key for key, (_, updated) in self._buckets.items() if now - updated >= self._idle_after]
        for key in idle:
            del self._buckets[key]
        if len(self._buckets) > self._max_keys:
            # Still too many active keys (a flood of distinct IPs): forget the oldest half.
            for key, _ in sorted(self._buckets.items(), key=lambda item: item[1][1])[: len(self._buckets) // 2]:
                del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)


def retry_after_seconds(wait: float) -> int:
    """Retry-After is whole seconds; never 0 for a refusal."""
    return max(1, math.ceil(wait))
