"""Background work a service runs beside its HTTP server: a periodic task, and a LISTEN loop that wakes a
worker on a PostgreSQL NOTIFY (polling covers the time it is not connected). ``ServiceRuntime.create_app``
starts them after the consumers and stops them before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

import asyncpg

log = logging.getLogger(__name__)


class Background(Protocol):
    """Anything ``create_app(background=[...])`` starts with the service and stops before it ends."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class PeriodicTask:
    """Runs ``job`` every ``interval`` seconds until stopped; a failing round is logged and the next one runs.
    An interval of 0 or less disables the task (tests drive ``job`` themselves)."""

    def __init__(self, name: str, job: Callable[[], Awaitable[object]], interval: float, *, first_after: float = 0.0):
        self.name = name
        self.job = job
        self.interval = interval
        self.first_after = first_after
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._loop(), name=self.name)

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        if await self._sleep(self.first_after):
            return
        while True:
            try:
                await self.job()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s failed; trying again in %.0f s", self.name, self.interval)
            if await self._sleep(self.interval):
                return

    async def _sleep(self, seconds: float) -> bool:
        """Wait ``seconds``; True when the task is stopping meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        return self._stopping.is_set()


async def listen_for_notifications(
    dsn: str, channel: str, wake: asyncio.Event, stopping: asyncio.Event, *, what: str = "LISTEN"
) -> None:
    """Set ``wake`` on every NOTIFY on ``channel`` (and once per (re)connection, to catch up with what was
    committed meanwhile) until ``stopping`` is set; reconnects a second after losing the connection."""
    dsn = dsn.replace("postgresql+asyncpg://", "postgresql://", 1)
    while not stopping.is_set():
        connection: asyncpg.Connection | None = None
        try:
            connection = await asyncpg.connect(dsn)
            lost = asyncio.Event()
            connection.add_termination_listener(lambda _c, lost=lost: lost.set())
            await connection.add_listener(channel, lambda *_args: wake.set())
            wake.set()
            stopped = asyncio.ensure_future(stopping.wait())
            gone = asyncio.ensure_future(lost.wait())
            try:
                await asyncio.wait({stopped, gone}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopped.cancel()
                gone.cancel()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.info("%s connection unavailable (%s); polling meanwhile", what, exc)
        finally:
            if connection is not None and not connection.is_closed():
                with contextlib.suppress(Exception):
                    await connection.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=1.0)
