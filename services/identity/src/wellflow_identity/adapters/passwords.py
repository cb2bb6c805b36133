"""argon2id password hashing, always off the event loop.

OWASP's parameters (19 MiB, two passes, one lane) cost tens of milliseconds of CPU per hash. argon2-cffi
releases the GIL while hashing, so a thread keeps the event loop free, but on a 2-core machine eight
hashing threads still starve the loop's own thread of CPU (measured: p99 of a cheap request 60 ms).
So hashing runs in its own pool, one thread per CPU, whose threads lower their scheduling priority
(Linux: per-thread nice 10): they use every idle cycle, and the loop gets the CPU the moment it needs it.
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

HASHING_NICENESS = 10
T = TypeVar("T")


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not permitted: plain priority then
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class Argon2Passwords:
    def __init__(
        self, *, time_cost: int = 2, memory_cost: int = 19456, parallelism: int = 1, threads: int | None = None
    ) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        self._dummy_hash: str | None = None
        self._executor = ThreadPoolExecutor(
            max_workers=threads or os.cpu_count() or 2, thread_name_prefix="argon2", initializer=_lower_priority
        )

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _off_loop(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

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
