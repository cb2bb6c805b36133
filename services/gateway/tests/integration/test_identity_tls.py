"""In a deployment identity serves HTTPS: the gateway fetches its JWKS and forwards to it over TLS, trusting the
deployment's CA alone (JWKS_CA_FILE, GATEWAY_UPSTREAM_CA_FILE), and never over plain http:// once
JWKS_REQUIRE_TLS is set. The other services stay plain here, as they are behind the gateway in compose."""

from __future__ import annotations

import json
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from wellflow_servicekit.settings import ConfigurationError
from wellflow_servicekit.testing_tls import TestCertificates, issue_test_certificates

from .harness import FakeService, Signer, gateway_settings, problem, running_gateway


def server_context(certificates: TestCertificates) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates.cert, certificates.key)
    return context


@pytest.fixture
async def https_identity(tmp_path: Path) -> AsyncIterator[tuple[FakeService, FakeService, TestCertificates]]:
    """Identity over HTTPS with a certificate of a throwaway CA, and wells in plain HTTP."""
    certificates = issue_test_certificates(tmp_path / "identity-tls", names=("identity", "localhost"))
    signer = Signer()
    identity, wells = FakeService("identity", signer=signer), FakeService("wells")
    await identity.start(tls=server_context(certificates))
    await wells.start()
    try:
        yield identity, wells, certificates
    finally:
        await identity.stop()
        await wells.stop()


def tls_settings(identity: FakeService, wells: FakeService, ca: Path):  # type: ignore[no-untyped-def]
    assert identity.url.startswith("https://")
    return gateway_settings(
        {"identity": identity.url, "wells": wells.url},
        jwks_ca_file=str(ca),
        gateway_upstream_ca_file=str(ca),
        jwks_require_tls="true",
    )


async def test_the_gateway_reaches_identity_over_https_with_the_deployment_ca(https_identity, monkeypatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)  # only the settings' CA is trusted
    identity, wells, certificates = https_identity
    assert identity.signer is not None
    token = {"Authorization": f"Bearer {identity.signer.token()}"}
    async with (
        running_gateway(tls_settings(identity, wells, certificates.ca)) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        signin = await client.post("/api/v1/auth/signin", json={"email": "a@b.c", "password": "x" * 12})
        assert signin.json()["upstream"] == "identity"  # forwarded over TLS
        me = await client.get("/api/v1/me", headers=token)  # the token verified with keys fetched over TLS
        assert me.status_code == 200 and me.json()["upstream"] == "identity"
        assert (await client.get("/api/v1/wells", headers=token)).json()["upstream"] == "wells"
    paths = [r.path_qs for r in identity.requests]
    assert "/.well-known/jwks.json" in paths and "/api/v1/auth/signin" in paths and "/api/v1/me" in paths


async def test_an_identity_the_ca_did_not_certify_is_neither_forwarded_to_nor_trusted(
    https_identity, tmp_path: Path
) -> None:
    """Someone on the path presenting their own certificate: sign-in answers 502 (the password never leaves the
    gateway) and a token cannot be verified (503), since no keys come from a server the CA did not certify."""
    identity, wells, _ = https_identity
    assert identity.signer is not None
    stranger = issue_test_certificates(tmp_path / "stranger", names=("identity", "localhost"))
    async with (
        running_gateway(tls_settings(identity, wells, stranger.ca)) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        signin = await client.post("/api/v1/auth/signin", json={"email": "a@b.c", "password": "x" * 12})
        assert "could not be verified" in problem(signin, 502)["detail"]
        wells_call = await client.get("/api/v1/wells", headers={"Authorization": f"Bearer {identity.signer.token()}"})
        problem(wells_call, 503)
    assert identity.requests == [] and wells.proxied() == []


def test_plain_http_to_identity_is_refused_when_tls_is_required() -> None:
    urls = {"identity": "http://identity:8101", "wells": "http://wells:8102"}
    with pytest.raises(ConfigurationError) as error:
        gateway_settings(urls, jwks_url="https://identity:8101/.well-known/jwks.json", jwks_require_tls="true")
    assert "identity must be an https:// URL when JWKS_REQUIRE_TLS is true (cells ['default'])" in str(error.value)
    with pytest.raises(ConfigurationError, match="JWKS_URL: must be an https:// URL"):
        gateway_settings(urls, jwks_require_tls="true")
    cells = json.dumps({"cell-b": {"identity": "http://identity-b:8101"}})
    with pytest.raises(ConfigurationError, match=r"cells \['cell-b'\]"):
        gateway_settings(
            {**urls, "identity": "https://identity:8101"},
            jwks_url="https://identity:8101/.well-known/jwks.json",
            jwks_require_tls="true",
            gateway_cells=cells,
        )
