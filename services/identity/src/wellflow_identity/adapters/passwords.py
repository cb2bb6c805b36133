"""argon2id password hashing, always off the event loop, with a bounded queue.

OWASP's parameters (19 MiB, two passes, one lane) cost tens of milliseconds of CPU per hash. argon2-cffi
releases the GIL while hashing, so a thread keeps the event loop free, but on a 2-core machine eight
hashing threads still starve the loop's own thread of CPU (measured: p99 of a cheap request 60 ms).
So hashing runs in its own pool of ``threads`` (PASSWORD_HASH_THREADS: the CPUs the pod is given, since
``os.cpu_count()`` in a container is the host's), whose threads lower their scheduling priority (Linux:
per-thread nice 10): they use every idle cycle, and the loop gets the CPU the moment it needs it.

At most ``queue`` (PASSWORD_HASH_QUEUE) checks wait for a thread beyond the ones running; one more is
refused at once with 503 and Retry-After (``HashingBusy``) instead of piling up memory and latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from wellflow_servicekit.errors import ServiceUnavailable

HASHING_NICENESS = 10
T = TypeVar("T")


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not permitted: plain priority then
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class HashingBusy(ServiceUnavailable):
    """Every hashing thread is busy and the queue is full."""

    def __init__(self) -> None:
        super().__init__("Too many sign-ins are being checked right now; retry in a moment.", retry_after=1)


class Argon2Passwords:
    def __init__(
        self,
        *,
        time_cost: int = 2,
        memory_cost: int = 19456,
        parallelism: int = 1,
        threads: int = 2,
        queue: int = 32,
    ) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        self._dummy_hash: str | None = None
        self.threads = threads
        self.capacity = threads + queue
        self.in_flight = 0
        self._executor = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="argon2", initializer=_lower_priority
        )

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _off_loop(self, fn: Callable[..., T], *args: Any) -> T:
        if self.in_flight >= self.capacity:
            raise HashingBusy
        self.in_flight += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)
        finally:
            self.in_flight -= 1

    async def hash(self, password: str) -> str:
        return await self._off_loop(self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches. With no stored hash (unknown email) a dummy hash is verified
        instead, so an unknown address takes as long as a wrong password."""
        if stored_hash is None:
            await self._off_loop(self._verify, await self._dummy(), password)
            return False
        return await self._off_loop(self._verify, stored_hash, password)

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash("wellflow dummy password for unknown accounts")
        return self._dummy_hash

    def _verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
