"""Who may pass: the bearer token verified (an API key exchanged for one first) and the rate limits, per
principal, per client address on public paths, and per address for clients whose credentials keep failing."""

from __future__ import annotations

from dataclasses import dataclass

from wellflow_gateway.apikeys import API_KEY_PREFIX, ApiKeyExchanger
from wellflow_gateway.ratelimit import TokenBucketLimiter, retry_after_seconds
from wellflow_servicekit.auth import Principal, TokenVerifier
from wellflow_servicekit.context import tenant_id_var
from wellflow_servicekit.problems import TooManyRequests, Unauthorized


@dataclass(slots=True)
class Guard:
    verifier: TokenVerifier
    principal_limiter: TokenBucketLimiter
    ip_limiter: TokenBucketLimiter
    auth_failure_limiter: TokenBucketLimiter
    exchanger: ApiKeyExchanger

    async def admit(self, public: bool, authorization: bytes | None, ip: str) -> tuple[Principal | None, bytes | None]:
        """The verified principal (None on a public path) and the Authorization to forward; 401 or 429."""
        if public:
            self._limit(self.ip_limiter, ip, "your address")
            return None, authorization
        principal, authorization = await self._authenticate(authorization, ip)
        self._limit(self.principal_limiter, f"{principal.organization_id}:{principal.subject}", "you")
        tenant_id_var.set(principal.organization_id)
        return principal, authorization

    async def _authenticate(self, authorization: bytes | None, ip: str) -> tuple[Principal, bytes]:
        if authorization is None:
            raise Unauthorized("This endpoint needs an access token: send 'Authorization: Bearer <token>'.", error=None)
        if self.auth_failure_limiter.peek(ip) < 1:
            wait = self.auth_failure_limiter.acquire(ip)
            raise TooManyRequests(
                "Too many requests with invalid credentials from your address; wait before retrying.",
                retry_after=retry_after_seconds(wait),
            )
        scheme, _, credential = authorization.decode("latin-1").partition(" ")
        token = credential.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("Send the access token as 'Authorization: Bearer <token>'.", error="invalid_request")
        try:
            if token.startswith(API_KEY_PREFIX):
                token = await self.exchanger.access_token(token)
                authorization = f"Bearer {token}".encode("latin-1")
            principal = await self.verifier.verify(token)
        except Unauthorized:
            self.auth_failure_limiter.acquire(ip)
            raise
        return principal, authorization

    @staticmethod
    def _limit(limiter: TokenBucketLimiter, key: str, who: str) -> None:
        wait = limiter.acquire(key)
        if wait > 0:
            seconds = retry_after_seconds(wait)
            raise TooManyRequests(f"Too many requests from {who}; retry in {seconds} s.", retry_after=seconds)
