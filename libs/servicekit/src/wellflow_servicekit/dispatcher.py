"""Keyed concurrency for event consumers: messages of one aggregate one after another, others side by side."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class KeyedDispatcher:
    """Runs jobs concurrently across keys and strictly one after another within a key.

    A consumer hands each message over in arrival order and goes on fetching; messages of one aggregate
    are then handled in that order, messages of different aggregates side by side. ``limit`` bounds the
    messages in hand, which pushes back on the fetch loop.
    """

    def __init__(self, limit: int) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._queues: dict[str, deque[Callable[[], Awaitable[None]]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, key: str | None, job: Callable[[], Awaitable[None]]) -> None:
        await self._slots.acquire()
        if key is None:
            self._spawn(self._run_one(job))
            return
        queue = self._queues.get(key)
        if queue is not None:
            queue.append(job)
            return
        self._queues[key] = deque([job])
        self._spawn(self._run_key(key))

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_one(self, job: Callable[[], Awaitable[None]]) -> None:
        try:
            await _guarded(job)
        finally:
            self._slots.release()

    async def _run_key(self, key: str) -> None:
        queue = self._queues[key]
        try:
            while queue:
                try:
                    await _guarded(queue[0])
                finally:
                    queue.popleft()
                    self._slots.release()
        finally:
            if self._queues.get(key) is queue and not queue:
                del self._queues[key]

    async def join(self, timeout: float = 10.0) -> None:
        """Wait for the messages in hand (graceful shutdown); what is left is redelivered later."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    async def close(self) -> None:
        await self.join()
        for task in list(self._tasks):
            task.cancel()


async def _guarded(job: Callable[[], Awaitable[None]]) -> None:
    """A job that escapes with an error leaves its message unacknowledged: JetStream redelivers it."""
    try:
        await job()
    except Exception:
        log.exception("event processing failed outside the handler; the message will be redelivered")
