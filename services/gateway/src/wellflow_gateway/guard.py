"""Who may pass: the bearer token verified (an API key exchanged for one first) and the rate limits, per
principal, per client address on public paths, and per address for clients whose credentials keep failing."""

from __future__ import annotations

from dataclasses import dataclass, field

from wellflow_gateway.apikeys import API_KEY_PREFIX, ApiKeyExchanger
from wellflow_gateway.ratelimit import TokenBucketLimiter, retry_after_seconds
from wellflow_servicekit.auth import ExpiredToken, Principal, TokenVerifier
from wellflow_servicekit.context import tenant_id_var
from wellflow_servicekit.problems import TooManyRequests, Unauthorized


@dataclass(slots=True)
class Guard:
    """Admission in three parts, each keyed so that one client's misbehaviour cannot refuse another's valid request:

    - a bearer token is verified FIRST: a valid token always passes the failure check (it is only subject to its
      own principal's limit), and only a failure is charged to the client address's failure bucket. A token
      with a valid signature that has expired is not a failure either (its holder refreshes); a malformed,
      forged or unknown-key token is. Once the address's failure bucket is empty its failing requests answer
      429 instead of 401, and an API key not already exchanged is not sent to identity;
    - public paths take a token from the client address's bucket;
    - the session-keeping paths (refresh) have a bucket of their own per address, so a flood of sign-ins or bad
      tokens from the same address (or from behind the same proxy) never refuses a signed-in user's refresh.
    """

    verifier: TokenVerifier
    principal_limiter: TokenBucketLimiter
    ip_limiter: TokenBucketLimiter
    auth_failure_limiter: TokenBucketLimiter
    exchanger: ApiKeyExchanger
    refresh_limiter: TokenBucketLimiter | None = None
    refresh_paths: frozenset[str] = field(default_factory=frozenset)

    async def admit(
        self, public: bool, authorization: bytes | None, ip: str, path: str = ""
    ) -> tuple[Principal | None, bytes | None]:
        """The verified principal (None on a public path) and the Authorization to forward; 401 or 429."""
        if public:
            refresh = self.refresh_limiter is not None and path.rstrip("/") in self.refresh_paths
            limiter = self.refresh_limiter if refresh and self.refresh_limiter is not None else self.ip_limiter
            self._limit(limiter, ip, "your address")
            return None, authorization
        principal, authorization = await self._authenticate(authorization, ip)
        self._limit(self.principal_limiter, f"{principal.organization_id}:{principal.subject}", "you")
        tenant_id_var.set(principal.organization_id)
        return principal, authorization

    async def _authenticate(self, authorization: bytes | None, ip: str) -> tuple[Principal, bytes]:
        if authorization is None:
            raise Unauthorized("This endpoint needs an access token: send 'Authorization: Bearer <token>'.", error=None)
        scheme, _, credential = authorization.decode("latin-1").partition(" ")
        token = credential.strip()
        if scheme.lower() != "bearer" or not token:
            self._charge(ip)
            raise Unauthorized("Send the access token as 'Authorization: Bearer <token>'.", error="invalid_request")
        try:
            if token.startswith(API_KEY_PREFIX):
                if not self.exchanger.is_cached(token) and self.auth_failure_limiter.peek(ip) < 1:
                    self._charge(ip)  # raises 429: an address that keeps failing does not get identity's time
                token = await self.exchanger.access_token(token)
                authorization = f"Bearer {token}".encode("latin-1")
            principal = await self.verifier.verify(token)
        except ExpiredToken:
            raise
        except Unauthorized:
            self._charge(ip)
            raise
        return principal, authorization

    def _charge(self, ip: str) -> None:
        """Count one failure against ``ip``; 429 once its bucket is empty."""
        wait = self.auth_failure_limiter.acquire(ip)
        if wait > 0:
            raise TooManyRequests(
                "Too many requests with invalid credentials from your address; wait before retrying.",
                retry_after=retry_after_seconds(wait),
            )

    @staticmethod
    def _limit(limiter: TokenBucketLimiter, key: str, who: str) -> None:
        wait = limiter.acquire(key)
        if wait > 0:
            seconds = retry_after_seconds(wait)
            raise TooManyRequests(f"Too many requests from {who}; retry in {seconds} s.", retry_after=seconds)
