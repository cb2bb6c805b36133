"""Run the stand-in portal inside another program's event loop, on a real TCP port (tests, benchmarks).

`stop()` closes the listening socket, so a caller then gets "connection refused", the most honest outage
there is; `start()` opens it again on the same port with the same filings and switches.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PortalServer:
    """The portal app served by uvicorn on 127.0.0.1:<port> as a task of the running loop."""

    def __init__(self, app: FastAPI, port: int | None = None) -> None:
        self.app = app
        self.port = port or free_port()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[Any] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        for _ in range(500):
            if self._server.started:
                return
            if self._task.done():
                self._task.result()
                raise RuntimeError("the portal server stopped while starting")
            await asyncio.sleep(0.01)
        raise TimeoutError("the portal server did not start within 5 s")

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        try:
            await asyncio.wait_for(self._task, timeout=5)
        except TimeoutError:
            self._server.force_exit = True
            self._task.cancel()
        self._server, self._task = None, None
