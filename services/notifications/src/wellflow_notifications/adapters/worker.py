"""The delivery worker: a round of sends whenever a PostgreSQL NOTIFY says something became due (a consumer or a
request made deliveries, in the transaction that commits them), and every ``interval`` seconds anyway (retries
come due by time; the LISTEN connection may be down)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from wellflow_servicekit.background import listen_for_notifications

from .repositories.deliveries import WAKE_CHANNEL

log = logging.getLogger(__name__)


class DeliveryWorker:
    def __init__(self, dsn: str, job: Callable[[], Awaitable[int]], interval: float) -> None:
        self.dsn, self.job, self.interval = dsn, job, interval
        self.wake = asyncio.Event()
        self.stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self.stopping.clear()
        self._tasks = [
            asyncio.create_task(listen_for_notifications(self.dsn, WAKE_CHANNEL, self.wake, self.stopping)),
            asyncio.create_task(self._loop(), name="notifications-delivery"),
        ]

    async def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []

    async def _loop(self) -> None:
        while not self.stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=self.interval)
            self.wake.clear()
            if self.stopping.is_set():
                return
            try:
                while await self.job():  # a full batch may leave more due
                    self.wake.clear()
            except Exception:
                log.exception("a delivery round failed; trying again")
                await asyncio.sleep(1.0)
