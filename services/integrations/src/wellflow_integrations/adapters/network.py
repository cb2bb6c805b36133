"""DNS and HTTP for webhook deliveries. The sender connects to the address the dispatcher checked (never
resolving the name again: DNS rebinding), names the host in ``Host`` and in TLS (SNI and certificate check),
follows no redirect (a 3xx is a failed attempt: a redirect could point inside), and reads at most a few KB
of the answer."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from urllib.parse import urlsplit, urlunsplit

import httpx

from ..app.ports import Sent

EXCERPT_BYTES = 512


class SystemResolver:
    async def resolve(self, host: str, port: int) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            pass
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        seen: list[str] = []
        for *_, sockaddr in infos:
            address = str(sockaddr[0]).split("%")[0]
            if address not in seen:
                seen.append(address)
        return seen


class HttpxSender:
    def __init__(self) -> None:
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(follow_redirects=False, trust_env=False)
        return self._client

    async def post(self, url: str, address: str, headers: dict[str, str], body: bytes, *, timeout: float) -> Sent:
        parts = urlsplit(url)
        host = parts.hostname or ""
        literal = f"[{address}]" if ":" in address else address
        netloc = f"{literal}:{parts.port}" if parts.port else literal
        pinned = urlunsplit(parts._replace(netloc=netloc))
        request_headers = {**headers, "host": parts.netloc.rpartition("@")[2]}
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        started = time.monotonic()
        try:
            async with self._http().stream(
                "POST", pinned, content=body, headers=request_headers, timeout=timeout, extensions=extensions
            ) as response:
                excerpt = b""
                async for chunk in response.aiter_bytes():
                    excerpt += chunk
                    if len(excerpt) >= EXCERPT_BYTES:
                        break
            elapsed = int((time.monotonic() - started) * 1000)
            error = None if 200 <= response.status_code < 300 else f"answered {response.status_code}"
            return Sent(response.status_code, error, excerpt[:EXCERPT_BYTES].decode(errors="replace"), elapsed)
        except httpx.HTTPError as exc:
            elapsed = int((time.monotonic() - started) * 1000)
            return Sent(None, f"{type(exc).__name__}: {exc}"[:500], None, elapsed)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
