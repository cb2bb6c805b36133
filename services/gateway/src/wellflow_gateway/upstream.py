"""The upstream side of the hop: one aiohttp client for every service, a request forwarded, its answer
streamed back to the client, and what the client is told when the upstream fails.

An https:// upstream (identity, in a deployment) is verified against GATEWAY_UPSTREAM_CA_FILE alone when it is
set: its certificate must chain to that CA and name the host in the URL, or the request answers 502.

Upstream refused the connection: 503; connect or read timeout: 504; broken answer: 502; the answer
breaking off after its status was sent: the client's connection is cut (`ResponseAborted`).
aiohttp was chosen by measurement (see README.md): httpx's pool collapses under concurrency.
"""

from __future__ import annotations

import logging
import ssl
import time
from dataclasses import dataclass

import aiohttp
from starlette.types import Send
from yarl import URL

from wellflow_gateway.body import BUFFER_LIMIT, Body, BodyTooLarge, ClientGone, cause, too_large
from wellflow_gateway.headers import filter_response_headers
from wellflow_gateway.metrics import GatewayMetrics
from wellflow_servicekit.problems import Problem, ServiceUnavailable
from wellflow_servicekit.tls import verifying_context

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class ProxyLimits:
    max_body_bytes: int
    connect_timeout: float
    read_timeout: float
    trusted_proxy_hops: int = 0


@dataclass(frozen=True, slots=True)
class Hop:
    """One forward: the service and cell it goes to, and the request as sent upstream."""

    service: str
    cell: str
    method: str
    url: URL
    headers: list[tuple[str, str]]
    data: Body


class ResponseAborted(Exception):
    """Raised after a response started, so the server closes the connection instead of finishing it."""


# How long an idle connection to a service stays in the pool (the services keep theirs 75 s).
POOL_IDLE_SECONDS = 4.0


class Upstream:
    def __init__(self, limits: ProxyLimits, metrics: GatewayMetrics, *, ca_file: str | None = None) -> None:
        self.limits = limits
        self.metrics = metrics
        # read now, so an unreadable CA file stops the gateway at start-up; True: aiohttp's default verification
        self.tls: ssl.SSLContext | bool = verifying_context(ca_file) if ca_file else True
        self.timeout = aiohttp.ClientTimeout(
            total=None,
            connect=limits.connect_timeout,
            sock_connect=limits.connect_timeout,
            sock_read=limits.read_timeout,
        )
        self.session: aiohttp.ClientSession | None = None

    async def start(self, pool_size: int) -> None:
        connector = aiohttp.TCPConnector(
            limit=pool_size,
            limit_per_host=0,
            # Far below the services' keep-alive (75 s under `wellflow up` and in the image), so the gateway closes
            # an idle connection first: a POST sent into a connection the service is closing cannot be sent again.
            keepalive_timeout=POOL_IDLE_SECONDS,
            ttl_dns_cache=60,
            ssl=self.tls,
        )
        self.session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,  # pass bodies through byte for byte, with their Content-Encoding
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            cookie_jar=aiohttp.DummyCookieJar(),  # never keep one client's cookies for another
            timeout=self.timeout,
        )

    async def stop(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    def client(self) -> aiohttp.ClientSession:
        if self.session is None:
            raise RuntimeError("the gateway's upstream client is not started")
        return self.session

    async def forward(self, hop: Hop, send: Send) -> None:
        """Send ``hop`` upstream and its answer to the client; a problem when no answer came."""
        started = time.perf_counter()
        try:
            response = await self.client().request(
                hop.method, hop.url, headers=hop.headers, data=hop.data, allow_redirects=False, timeout=self.timeout
            )
        except (ClientGone, BodyTooLarge, aiohttp.ClientError, TimeoutError) as exc:
            reason = cause(exc)
            if isinstance(reason, ClientGone):
                self.metrics.upstream_failed(hop.service, hop.cell, "client_gone")
                return
            raise self._problem_for(exc, reason, hop.service, hop.cell) from None
        self.metrics.observe_upstream(hop.service, hop.cell, response.status, time.perf_counter() - started)
        try:
            await self._relay(response, hop, send)
        finally:
            response.release()

    async def fetch(self, hop: Hop, max_bytes: int = BUFFER_LIMIT) -> tuple[int, str, bytes]:
        """Send ``hop`` upstream and read its whole answer (status, content type, body) for the gateway to use;
        the same problems as ``forward`` when no answer came, 502 for an answer over ``max_bytes``."""
        started = time.perf_counter()
        try:
            async with self.client().request(
                hop.method, hop.url, headers=hop.headers, data=hop.data, allow_redirects=False, timeout=self.timeout
            ) as response:
                self.metrics.observe_upstream(hop.service, hop.cell, response.status, time.perf_counter() - started)
                body = await response.content.read(max_bytes + 1)
                if len(body) > max_bytes:
                    self.metrics.upstream_failed(hop.service, hop.cell, "bad_response")
                    raise Problem(f"The {hop.service} service's answer is too large to combine.", status=502)
                return response.status, response.headers.get("Content-Type", "application/json"), body
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise self._problem_for(exc, cause(exc), hop.service, hop.cell) from None

    async def _relay(self, response: aiohttp.ClientResponse, hop: Hop, send: Send) -> None:
        response_headers = [(name.lower(), value) for name, value in response.raw_headers]
        start = {"type": "http.response.start", "status": response.status}
        await send({**start, "headers": filter_response_headers(response_headers)})
        if hop.method == "HEAD":
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        length = response.content_length
        try:
            if length is not None and length <= BUFFER_LIMIT:
                # The common small JSON answer: one write instead of a write per chunk.
                body = await response.read()
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            async for chunk in response.content.iter_any():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except (aiohttp.ClientError, TimeoutError) as exc:
            # Too late for a problem response: the status is sent. Cut the connection so the client
            # sees a truncated body rather than a short one that looks complete.
            logger.warning("upstream %s broke off its answer: %s", hop.service, type(exc).__name__)
            self.metrics.upstream_failed(hop.service, hop.cell, "broken_body")
            raise ResponseAborted from None
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def _problem_for(self, exc: BaseException, reason: BaseException, service: str, cell: str) -> Problem:
        if isinstance(reason, BodyTooLarge):
            self.metrics.upstream_failed(service, cell, "body_too_large")
            return too_large(self.limits.max_body_bytes)
        kind, problem = self._failure(exc, service)
        logger.warning("forwarding to %s (cell %s) failed: %s %s", service, cell, kind, type(exc).__name__)
        self.metrics.upstream_failed(service, cell, kind)
        return problem

    def _failure(self, exc: BaseException, service: str) -> tuple[str, Problem]:
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return "connect_timeout", Problem(f"The {service} service did not accept a connection in time.", status=504)
        if isinstance(
            exc, aiohttp.ClientSSLError
        ):  # before its base class: a certificate not from the CA, a bad handshake
            return "tls_untrusted", Problem(f"The {service} service could not be verified (TLS).", status=502)
        if isinstance(exc, aiohttp.ClientConnectorError):
            return "connect_refused", ServiceUnavailable(
                f"The {service} service is not reachable right now.", retry_after=5
            )
        if isinstance(exc, TimeoutError):
            seconds = self.limits.read_timeout
            return "read_timeout", Problem(f"The {service} service did not answer within {seconds:g} s.", status=504)
        return "bad_response", Problem(f"The {service} service gave no valid answer.", status=502)
