"""A short-lived cache of verified access tokens in front of `JwksTokenVerifier`.

Verifying an EdDSA token costs about as much CPU as the gateway spends forwarding a request (PyJWT's
parsing plus the signature check), and clients send the same token for minutes. The gateway and every
service put this cache in front of their verifier. A token that verified
is remembered, by its exact text, until the earlier of its `exp` and `ttl` seconds (30 by default);
any other text, a tampered one included, is verified in full. The cost of the cache: a key withdrawn
from the JWKS keeps admitting tokens it signed for at most `ttl` seconds here (the services behind
verify every token again themselves). Failures are never cached.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable

from .auth import Principal, TokenVerifier


class CachingTokenVerifier:
    def __init__(
        self,
        inner: TokenVerifier,
        *,
        ttl: float = 30.0,
        max_entries: int = 20_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.inner = inner
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._cache: dict[str, tuple[Principal, float]] = {}

    async def verify(self, token: str) -> Principal:
        entry = self._cache.get(token)
        now = self._clock()
        if entry is not None:
            if entry[1] > now:
                return entry[0]
            del self._cache[token]
        principal = await self.inner.verify(token)
        if self.ttl > 0:
            expires = _expiry(token)
            until = min(now + self.ttl, expires if expires is not None else now)
            if until > now:
                if len(self._cache) >= self.max_entries:
                    self._cache.clear()  # a rare, cheap reset beats bookkeeping on every hit
                self._cache[token] = (principal, until)
        return principal

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()

    def __len__(self) -> int:
        return len(self._cache)


def _expiry(token: str) -> float | None:
    """`exp` of a token that has just been verified (so its payload is known to be well formed)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        exp = claims.get("exp")
        return float(exp) if isinstance(exp, int | float) else None
    except (IndexError, ValueError, TypeError, AttributeError):
        return None
