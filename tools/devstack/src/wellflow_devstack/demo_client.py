"""The demo loader's view of the gateway: each call names its step, checks the status, waits out the gateway's
rate limit (429 means nothing was done), and polls politely for what other services learn by events."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpx

# How long a step waits for the other services to take in what it sent: compliance and accounting take in three
# years of lease-months by event, 30 to 60 s on an idle 2-core machine and past 90 s on a loaded one.
WAIT_SECONDS = 300.0
RATE_LIMIT_RETRIES = 60
POLL_ANSWERS = (200, 404, 500, 502, 503)  # while polling, a busy or restarting service is asked again


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(max(float(response.headers.get("retry-after", "1")), 0.1), 10.0)
    except ValueError:
        return 1.0


class DemoError(RuntimeError):
    """A step of the demo load failed: the message names the step, the status and the service's detail."""


def detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        text = str(body.get("detail") or body.get("title") or body)
        if body.get("errors"):
            text += " " + "; ".join(f"{e.get('field')}: {e.get('message')}" for e in body["errors"][:5])
        return text[:600]
    return str(body)[:300]


class Api:
    """The gateway with a bearer token; each call names its step and checks the status."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.token: str | None = None

    async def call(
        self, step: str, method: str, path: str, *, expect: Iterable[int] = (200, 201), **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        for _ in range(RATE_LIMIT_RETRIES):
            try:
                response = await self.client.request(method, path, headers=headers, **kwargs)
            except httpx.HTTPError as exc:
                raise DemoError(f"{step}: {method} {path} failed: {exc!r}") from exc
            if response.status_code != 429:  # over the gateway's rate: nothing was done, ask again when told
                break
            await asyncio.sleep(_retry_after(response))
        if response.status_code not in tuple(expect):
            raise DemoError(f"{step}: {method} {path} answered {response.status_code}: {detail(response)}")
        return response

    async def json(self, step: str, method: str, path: str, **kwargs: Any) -> Any:
        return (await self.call(step, method, path, **kwargs)).json()

    async def until(
        self,
        step: str,
        attempt: Callable[[], Awaitable[httpx.Response]],
        ready: Callable[[httpx.Response], bool],
        *,
        timeout: float = WAIT_SECONDS,
        describe: Callable[[httpx.Response], str] = detail,
    ) -> httpx.Response:
        """Repeat ``attempt`` until ``ready`` holds of its answer (events take a moment to reach a service)."""
        deadline = time.monotonic() + timeout
        delay = 0.05
        while True:
            response = await attempt()
            if ready(response):
                return response
            if time.monotonic() > deadline:
                raise DemoError(
                    f"{step}: still not ready after {timeout:.0f} s (last answer {response.status_code}: "
                    f"{describe(response)})"
                )
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, 1.0)


async def gather_few(calls: Iterable[Awaitable[Any]], limit: int = 6) -> list[Any]:
    """Run calls a few at a time (the machine is small and the services share it)."""
    gate = asyncio.Semaphore(limit)

    async def one(call: Awaitable[Any]) -> Any:
        async with gate:
            return await call

    return await asyncio.gather(*(one(c) for c in calls))
