"""Test tokens: an Ed25519 key that signs access tokens shaped like identity's, and a servicekit verifier that
fetches the matching JWKS through an ``httpx.MockTransport`` (no identity service needed).

Every service's integration tests use it through the ``token_mint`` fixture::

    app = create_app(settings, token_verifier=token_mint.verifier())
    headers = token_mint.headers(org_id, "pumper")
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from uuid import UUID, uuid4

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ed25519
from jwt.algorithms import OKPAlgorithm

from wellflow_servicekit.auth import JwksTokenVerifier

JWKS_URL = "http://identity.test/.well-known/jwks.json"
ISSUER = "https://identity.wellflow.test"
AUDIENCE = "wellflow"
KID = "test-key-1"


@dataclass
class TokenMint:
    key: ed25519.Ed25519PrivateKey = field(default_factory=ed25519.Ed25519PrivateKey.generate)

    def jwks(self, request: httpx.Request) -> httpx.Response:
        jwk = OKPAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update(kid=KID, use="sig", alg="EdDSA")
        return httpx.Response(200, json={"keys": [jwk]})

    def token(self, organization_id: UUID, role: str, subject: str | None = None) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": subject or str(uuid4()),
            "org": str(organization_id),
            "role": role,
            "iat": now,
            "exp": now + 600,
        }
        return jwt.encode(claims, self.key, algorithm="EdDSA", headers={"kid": KID, "typ": "at+jwt"})

    def headers(self, organization_id: UUID, role: str, subject: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(organization_id, role, subject)}"}

    def verifier(self) -> JwksTokenVerifier:
        client = httpx.AsyncClient(transport=httpx.MockTransport(self.jwks))
        return JwksTokenVerifier(JWKS_URL, ISSUER, AUDIENCE, ("EdDSA",), client=client, min_refetch_interval=0)
