"""API keys: a bearer `wfk_...` is exchanged at identity for a short-lived access token.

`POST {identity}/api/v1/auth/token/api-key` with `Authorization: Bearer wfk_...` answers 200
`{access_token, expires_in, token_type}` or 401 for an unknown or revoked key. The token is cached by the
SHA-256 of the key (the key itself is never kept) for min(GATEWAY_API_KEY_CACHE_SECONDS, expires_in - 30)
seconds, so a busy machine client costs identity one exchange a minute, not one per request.

Consequence to know: a revoked key keeps working through this gateway for at most the cache time (60 s by
default), and the exchanged token itself stays valid at the services until it expires. Set
GATEWAY_API_KEY_CACHE_SECONDS=0 to exchange on every request.

Concurrent requests with the same uncached key share one exchange.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp

from wellflow_servicekit.problems import Problem, ServiceUnavailable, Unauthorized

logger = logging.getLogger(__name__)

API_KEY_PREFIX = "wfk_"
EXCHANGE_PATH = "/api/v1/auth/token/api-key"
_MAX_ENTRIES = 50_000


@dataclass(frozen=True, slots=True)
class ExchangedToken:
    access_token: str
    expires_at: float


class ApiKeyExchanger:
    def __init__(
        self,
        session_factory: Callable[[], aiohttp.ClientSession],
        identity_url: Callable[[], str | None],
        *,
        max_cache_seconds: float = 60.0,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session_factory
        self._identity_url = identity_url
        self.max_cache_seconds = max_cache_seconds
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._clock = clock
        self._cache: dict[bytes, ExchangedToken] = {}
        self._inflight: dict[bytes, asyncio.Future[str]] = {}
        self.exchanges = 0

    def is_cached(self, api_key: str) -> bool:
        """True when ``api_key`` was exchanged and its token is still fresh (no call to identity needed)."""
        cached = self._cache.get(hashlib.sha256(api_key.encode()).digest())
        return cached is not None and cached.expires_at > self._clock()

    async def access_token(self, api_key: str) -> str:
        """The access token for `api_key`, from the cache or a fresh exchange; raises a Problem otherwise."""
        digest = hashlib.sha256(api_key.encode()).digest()
        cached = self._cache.get(digest)
        if cached is not None:
            if cached.expires_at > self._clock():
                return cached.access_token
            del self._cache[digest]
        pending = self._inflight.get(digest)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._inflight[digest] = future
        try:
            token = await self._exchange(api_key, digest)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here, so a future nobody else awaited does not warn
            raise
        else:
            future.set_result(token)
            return token
        finally:
            del self._inflight[digest]

    def forget(self, api_key: str) -> None:
        self._cache.pop(hashlib.sha256(api_key.encode()).digest(), None)

    async def _exchange(self, api_key: str, digest: bytes) -> str:
        base = self._identity_url()
        if base is None:
            raise ServiceUnavailable("API keys cannot be checked right now: identity is not deployed.", retry_after=5)
        self.exchanges += 1
        try:
            async with self._session().post(
                base + EXCHANGE_PATH,
                headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
                timeout=self.timeout,
            ) as response:
                status = response.status
                body = await response.json(content_type=None) if status == 200 else None
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            logger.warning("API key exchange at identity failed: %s", type(exc).__name__)
            raise ServiceUnavailable("API keys cannot be checked right now; retry shortly.", retry_after=5) from None
        if status in (401, 403):
            raise Unauthorized("The API key is unknown or revoked.")
        if status == 429:
            raise Problem("Too many API key exchanges; retry shortly.", status=429, headers={"Retry-After": "5"})
        if status != 200 or not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            logger.warning("API key exchange at identity answered %s", status)
            raise Problem("Identity gave an unusable answer to an API key exchange.", status=502)
        token: str = body["access_token"]
        expires_in = body.get("expires_in")
        lifetime = float(expires_in) if isinstance(expires_in, int | float) else 0.0
        ttl = min(self.max_cache_seconds, lifetime - 30.0)
        if ttl > 0:
            if len(self._cache) >= _MAX_ENTRIES:
                self._evict()
            self._cache[digest] = ExchangedToken(token, self._clock() + ttl)
        return token

    def _evict(self) -> None:
        now = self._clock()
        for key in [key for key, entry in self._cache.items() if entry.expires_at <= now]:
            del self._cache[key]
        while len(self._cache) >= _MAX_ENTRIES:
            del self._cache[next(iter(self._cache))]


TokenSource = Callable[[str], Awaitable[str]]
