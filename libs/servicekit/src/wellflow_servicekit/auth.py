"""Access-token verification: every service checks the bearer token itself, against identity's JWKS.

Nothing inside the system trusts a header because it came from inside: the gateway verifies the token and
forwards it unchanged, and each service verifies it again here. The tenant of a request is the `org`
claim of a verified token and nothing else.

Token claims (issued by identity):

    header  alg (EdDSA or RS256, pinned), kid (names a key in the JWKS), typ "at+jwt" (RFC 9068: an access
            token, so no other JWT signed with the same keys can pass for one)
    iss, aud, exp, iat   checked against settings, with a small clock leeway
    sub                  user id, or API key id for kind=api_key
    org                  organization (tenant) UUID
    role                 owner, manager, pumper, accountant, auditor
    jti                  optional token id (audit, revocation)
    kind                 optional, "user" (default) or "api_key"

JWKS keys are cached by `kid`. A token with an unknown `kid` (identity rotated its key) triggers one
refetch; refetches happen at most once per `min_refetch_interval` so a flood of made-up kids cannot turn
the service into an amplifier against identity. If the JWKS cannot be fetched and no keys are cached the
answer is 503, not 401: the client's token may be fine and it should retry, not sign in again.

How long a key withdrawn from the JWKS is still trusted: the key set is fetched again once it is older
than `max_key_age` (JWKS_REFRESH_SECONDS), at most every `min_refetch_interval`; so at most
`max_key_age + min_refetch_interval` seconds, plus the token cache's `TOKEN_CACHE_SECONDS` for a token
verified just before. While the JWKS cannot be fetched the cached keys are kept, but never longer than
`max_stale` (JWKS_MAX_STALE_SECONDS) after their last successful fetch: then every token answers 503.

How the keys travel: in a deployment JWKS_URL is identity's https:// URL and JWKS_CA_FILE the CA that signed
its certificate; the verifier trusts that CA alone and checks the name, and with JWKS_REQUIRE_TLS (set in every
deployment) it refuses a plain http:// URL outright, so nobody on the path can swap the keys. The dev stack
and the tests fetch plain http:// from 127.0.0.1 (or through an in-process transport).

One audience (`aud`, JWT_AUDIENCE) for every service, by design: clients hold one token that the gateway
forwards unchanged to whichever service a path belongs to. A token per service would need the gateway to
mint (and so hold a signing key) or clients to sign in per service; `typ` plus the per-request role and
tenant checks are what keep a token to its purpose (docs/platform.md, "Auth").

A verified token is then checked against the service's revocation list (`revocation.py`): identity
announces a member's deactivation or role change, and an API key's revocation, and the tokens issued
before it are refused with 401 from then on.

In a route:

    @router.get("/wells")
    async def list_wells(principal: CurrentPrincipal): ...

    @router.post("/wells", dependencies=[Depends(require_role("owner", "manager"))])
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol
from uuid import UUID

import httpx
import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from opentelemetry import trace

from wellflow_servicekit.context import tenant_id_var
from wellflow_servicekit.problems import Forbidden, ServiceUnavailable, Unauthorized
from wellflow_servicekit.settings import ALLOWED_JWT_ALGORITHMS, ProcessSettings
from wellflow_servicekit.tls import verifying_context

if TYPE_CHECKING:
    from wellflow_servicekit.revocation import RevocationList

logger = logging.getLogger(__name__)

_MAX_TOKEN_LENGTH = 8192
_SAFE_ALG = re.compile(r"^[A-Za-z0-9]{1,16}$")
_REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "org", "role"]
ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105 - a media type, not a secret
_ACCEPTED_TYPES = frozenset({ACCESS_TOKEN_TYPE, "application/at+jwt"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Principal:
    """Who is calling, as proven by a verified token."""

    subject: str
    organization_id: UUID
    role: str
    kind: Literal["user", "api_key"] = "user"
    token_id: str | None = None
    issued_at: float | None = field(default=None, compare=False)  # iat: which tokens a revocation refuses


class TokenVerifier(Protocol):
    """What `get_principal` needs; tests may put a fake on `app.state.token_verifier`."""

    async def verify(self, token: str) -> Principal: ...


class ExpiredToken(Unauthorized):
    """A token with a valid signature whose time is up: its holder is a genuine client that should refresh, not
    a guesser (the gateway does not count it against the client's address)."""


class _JwksUnavailable(Exception):
    pass


class JwksTokenVerifier:
    """Verifies identity's access tokens with keys fetched from its JWKS URL.

    `client` is for tests (an `httpx.AsyncClient` over a `MockTransport`) or for sharing a client; when
    omitted the verifier creates its own on first use and closes it in `aclose()`, trusting only `ca_file`
    when given (an unreadable file stops the verifier being built). `require_tls` refuses a plain http://
    `jwks_url`: the keys that decide every token must not be open to swapping on the way.
    """

    def __init__(
        self,
        jwks_url: str,
        issuer: str,
        audience: str,
        algorithms: Sequence[str] = ("EdDSA", "RS256"),
        *,
        client: httpx.AsyncClient | None = None,
        leeway: float = 30.0,
        min_refetch_interval: float = 30.0,
        max_key_age: float = 600.0,
        max_stale: float = 3600.0,
        fetch_timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        ca_file: str | None = None,
        require_tls: bool = False,
    ) -> None:
        rejected = [alg for alg in algorithms if alg not in ALLOWED_JWT_ALGORITHMS]
        if rejected or not algorithms:
            raise ValueError(f"only asymmetric JWT algorithms may be accepted, not {rejected or 'none'}")
        if require_tls and not jwks_url.startswith("https://"):
            raise ValueError(f"the JWKS must be fetched over https:// when TLS is required, not {jwks_url}")
        # verified against ca_file alone when given; otherwise httpx's default (the public CAs)
        self._verify: Any = verifying_context(ca_file) if ca_file else True
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self.algorithms = tuple(algorithms)
        self.leeway = leeway
        self.min_refetch_interval = min_refetch_interval
        self.max_key_age = max_key_age
        self.max_stale = max(max_stale, max_key_age)
        self.fetch_timeout = fetch_timeout
        self._clock = clock
        self._client = client
        self._owns_client = client is None
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._last_attempt: float | None = None
        self._lock = asyncio.Lock()
        self.fetch_count = 0

    @classmethod
    def from_settings(cls, settings: ProcessSettings, **kwargs: Any) -> JwksTokenVerifier:
        kwargs.setdefault("max_key_age", settings.jwks_refresh_seconds)
        kwargs.setdefault("max_stale", settings.jwks_max_stale_seconds)
        kwargs.setdefault("ca_file", settings.jwks_ca_file)
        kwargs.setdefault("require_tls", settings.jwks_require_tls)
        return cls(settings.jwks_url, settings.jwt_issuer, settings.jwt_audience, settings.jwt_algorithms, **kwargs)

    async def aclose(self) -> None:
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def verify(self, token: str) -> Principal:
        """Return the token's principal, or raise `Unauthorized` saying what is wrong with it."""
        if not token or len(token) > _MAX_TOKEN_LENGTH:
            raise Unauthorized("The access token is malformed.")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthorized("The access token is malformed.") from None
        alg = header.get("alg")
        if alg not in self.algorithms:
            shown = alg if isinstance(alg, str) and _SAFE_ALG.match(alg) else "this algorithm"
            raise Unauthorized(
                f"Tokens signed with {shown} are not accepted; expected one of {', '.join(self.algorithms)}."
            )
        typ = header.get("typ")
        if not isinstance(typ, str) or typ.lower() not in _ACCEPTED_TYPES:
            raise Unauthorized("The token is not an access token (its header 'typ' must be 'at+jwt').")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthorized("The access token has no key id (kid) in its header.")
        key = await self._key_for(kid)
        if key is None:
            raise Unauthorized("The access token was signed with an unknown key.")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=list(self.algorithms),
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": _REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError:
            # PyJWT checks the signature before the claims: this token was genuinely ours, only too old.
            raise ExpiredToken("The access token has expired.") from None
        except jwt.PyJWTError as exc:
            raise Unauthorized(_explain(exc)) from None
        return _principal_from(claims)

    async def _key_for(self, kid: str) -> jwt.PyJWK | None:
        key = self._keys.get(kid)
        if key is not None and (not self._is_stale() or not self._may_fetch()) and not self._is_expired():
            return key
        async with self._lock:
            # Another request may have refreshed the keys while this one waited.
            key = self._keys.get(kid)
            if key is not None and not self._is_stale():
                return key
            if self._may_fetch():
                with contextlib.suppress(_JwksUnavailable):
                    await self._fetch()
            if self._fetched_at is None or self._is_expired():
                # Never fetched, or the keys are older than max_stale: a withdrawn key must not live on.
                self._keys = {}
                raise ServiceUnavailable(
                    "Token signing keys are unavailable right now; retry shortly.",
                    retry_after=max(1, int(self.min_refetch_interval)),
                )
            return self._keys.get(kid)

    def _is_stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > self.max_key_age

    def _is_expired(self) -> bool:
        return self._fetched_at is not None and self._clock() - self._fetched_at > self.max_stale

    def _may_fetch(self) -> bool:
        return self._last_attempt is None or self._clock() - self._last_attempt >= self.min_refetch_interval

    async def _fetch(self) -> None:
        self._last_attempt = self._clock()
        self.fetch_count += 1
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.fetch_timeout, verify=self._verify)
        try:
            response = await self._client.get(
                self.jwks_url, headers={"Accept": "application/json"}, timeout=self.fetch_timeout
            )
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            logger.warning("could not fetch JWKS from %s: %s", self.jwks_url, exc)
            raise _JwksUnavailable from exc
        if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
            logger.warning("JWKS from %s has no 'keys' list", self.jwks_url)
            raise _JwksUnavailable
        keys: dict[str, jwt.PyJWK] = {}
        for jwk in document["keys"]:
            if not isinstance(jwk, dict) or jwk.get("use", "sig") != "sig":
                continue
            kid = jwk.get("kid")
            if not isinstance(kid, str) or not kid:
                continue
            try:
                key = jwt.PyJWK(jwk)
            except jwt.PyJWTError as exc:
                logger.warning("skipping JWKS key %s: %s", kid, exc)
                continue
            # A symmetric or otherwise unexpected key in the set must never verify anything.
            if key.algorithm_name in self.algorithms:
                keys[kid] = key
        self._keys = keys
        self._fetched_at = self._clock()
        logger.info("loaded %d token signing keys from %s", len(keys), self.jwks_url)


def _explain(exc: jwt.PyJWTError) -> str:
    if isinstance(exc, jwt.ExpiredSignatureError):
        return "The access token has expired."
    if isinstance(exc, jwt.ImmatureSignatureError):
        return "The access token is not valid yet."
    if isinstance(exc, jwt.InvalidAudienceError):
        return "The access token is not meant for this service (wrong audience)."
    if isinstance(exc, jwt.InvalidIssuerError):
        return "The access token was not issued by the expected issuer."
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return f"The access token lacks the '{exc.claim}' claim."
    if isinstance(exc, jwt.InvalidSignatureError):
        return "The access token's signature is invalid."
    if isinstance(exc, jwt.InvalidAlgorithmError):
        return "The access token's algorithm does not match its signing key."
    if isinstance(exc, jwt.DecodeError):
        return "The access token is malformed."
    return "The access token is invalid."


def _principal_from(claims: dict[str, Any]) -> Principal:
    try:
        organization_id = UUID(str(claims["org"]))
    except ValueError:
        raise Unauthorized("The access token's 'org' claim is not a UUID.") from None
    role = claims["role"]
    if not isinstance(role, str) or not role:
        raise Unauthorized("The access token's 'role' claim must be a non-empty string.")
    kind = claims.get("kind", "user")
    if kind not in ("user", "api_key"):
        raise Unauthorized("The access token's 'kind' claim must be 'user' or 'api_key'.")
    token_id = claims.get("jti")
    issued_at = claims["iat"]
    return Principal(
        subject=claims["sub"],
        organization_id=organization_id,
        role=role,
        kind=kind,
        token_id=token_id if isinstance(token_id, str) else None,
        issued_at=float(issued_at) if isinstance(issued_at, int | float) else None,
    )


# Declared for OpenAPI (the "Authorize" button and the security scheme); parsing is done below so a
# missing header and a wrong scheme get the distinct answers RFC 6750 asks for.
_bearer_scheme = HTTPBearer(auto_error=False, description="Access token issued by identity")


async def get_principal(
    request: Request, _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)]
) -> Principal:
    """FastAPI dependency: verify the bearer token and make its organization the request's tenant."""
    authorization = request.headers.get("authorization")
    if not authorization:
        raise Unauthorized("This endpoint needs an access token: send 'Authorization: Bearer <token>'.", error=None)
    scheme, _sep, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Send the access token as 'Authorization: Bearer <token>'.", error="invalid_request")
    verifier: TokenVerifier | None = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        # A bug in bootstrap, never a reason to let the request through.
        raise RuntimeError("app.state.token_verifier is not set; auth cannot be switched off")
    principal = await verifier.verify(token)
    revocations: RevocationList | None = getattr(request.app.state, "revocations", None)
    if revocations is not None and revocations.refuses(principal):
        raise Unauthorized("This access token was revoked (your access changed); refresh it or sign in again.")
    tenant_id_var.set(principal.organization_id)
    request.state.principal = principal
    span = trace.get_current_span()
    span.set_attribute("wellflow.organization_id", str(principal.organization_id))
    span.set_attribute("wellflow.principal_kind", principal.kind)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_role(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """Dependency factory: 403 unless the principal has one of `roles` (no implicit hierarchy)."""
    if not roles:
        raise ValueError("require_role needs at least one role")
    allowed = tuple(sorted(set(roles)))

    async def check_role(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise Forbidden(
                f"Your role ({principal.role}) cannot do this; it needs one of: {', '.join(allowed)}.",
                required_roles=list(allowed),
            )
        return principal

    check_role.__name__ = f"require_role_{'_'.join(allowed)}"
    return check_role
