"""Identity's signing keys travel over verified TLS in a deployment: the JWKS is fetched from a real HTTPS server
(uvicorn with a certificate, as the image's `serve` runs identity), trusting JWKS_CA_FILE alone and checking the
server's name; another CA, a name the certificate does not carry, or a plain http:// URL under JWKS_REQUIRE_TLS
is refused. (The dev stack's plain http:// on 127.0.0.1 stays accepted while JWKS_REQUIRE_TLS is off.)"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from wellflow_servicekit.auth import JwksTokenVerifier
from wellflow_servicekit.problems import ServiceUnavailable
from wellflow_servicekit.settings import ConfigurationError
from wellflow_servicekit.testing import until
from wellflow_servicekit.testing_tls import TestCertificates, issue_test_certificates
from wellflow_servicekit.tls import TlsConfigurationError

from .conftest import AUDIENCE, ISSUER, ORG, Identity, make_settings

PATH = "/.well-known/jwks.json"


@asynccontextmanager
async def https_identity(identity: Identity, certificates: TestCertificates) -> AsyncIterator[tuple[int, list[str]]]:
    """Identity's JWKS under uvicorn with ``certificates`` on a free port of 127.0.0.1; yields the port and the
    list of requests it answered."""
    served: list[str] = []

    async def jwks(request: Request) -> JSONResponse:
        served.append(request.url.path)
        return JSONResponse(identity.published)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        Starlette(routes=[Route(PATH, jwks)]),
        log_level="warning",
        lifespan="off",
        ssl_certfile=str(certificates.cert),
        ssl_keyfile=str(certificates.key),
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))

    async def started() -> bool:
        return server.started

    try:
        await until(started, timeout=30, what="uvicorn to start with TLS", every=0.01)
        yield sock.getsockname()[1], served
    finally:
        server.should_exit = True
        await task
        sock.close()


@pytest.fixture
def certificates(tmp_path: Path) -> TestCertificates:
    return issue_test_certificates(tmp_path / "identity-tls", names=("identity", "localhost"))


@pytest.fixture(autouse=True)
def _no_trust_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):  # only what the settings say is trusted
        monkeypatch.delenv(name, raising=False)


async def test_the_jwks_is_fetched_over_https_trusting_the_configured_ca(
    identity: Identity, certificates: TestCertificates
) -> None:
    async with https_identity(identity, certificates) as (port, served):
        settings = make_settings(
            jwks_url=f"https://localhost:{port}{PATH}", jwks_ca_file=str(certificates.ca), jwks_require_tls=True
        )
        verifier = JwksTokenVerifier.from_settings(settings)
        try:
            principal = await verifier.verify(identity.token())
        finally:
            await verifier.aclose()
    assert principal.organization_id == ORG
    assert served == [PATH]


@pytest.mark.parametrize("trust", ["system CAs", "another CA", "wrong name"])
async def test_a_server_the_ca_did_not_certify_for_that_name_gets_no_fetch(
    identity: Identity, certificates: TestCertificates, tmp_path: Path, trust: str
) -> None:
    """Someone on the path with their own certificate, or a certificate of the CA issued for another name, serves
    no keys: every token answers 503, never verified against keys of unknown origin."""
    served_with, ca_file = certificates, str(certificates.ca)
    if trust == "system CAs":
        ca_file = None
    elif trust == "another CA":
        ca_file = str(issue_test_certificates(tmp_path / "stranger", names=("identity", "localhost")).ca)
    else:  # the right CA, but a certificate for "identity" (and 127.0.0.1) only, reached as localhost
        served_with = issue_test_certificates(tmp_path / "named", names=("identity",))
        ca_file = str(served_with.ca)
    async with https_identity(identity, served_with) as (port, served):
        verifier = JwksTokenVerifier(f"https://localhost:{port}{PATH}", ISSUER, AUDIENCE, ca_file=ca_file)
        try:
            with pytest.raises(ServiceUnavailable):
                await verifier.verify(identity.token())
        finally:
            await verifier.aclose()
    assert served == [], "no request reached the server: the handshake failed first"


def test_a_plain_jwks_url_is_refused_when_tls_is_required() -> None:
    with pytest.raises(ConfigurationError) as error:
        make_settings(jwks_url="http://identity:8101/.well-known/jwks.json", jwks_require_tls=True)
    assert error.value.problems == [
        "JWKS_URL: must be an https:// URL when JWKS_REQUIRE_TLS is true (identity's signing keys never travel in "
        "the clear in a deployment)"
    ]
    with pytest.raises(ValueError, match="over https:// when TLS is required"):
        JwksTokenVerifier("http://127.0.0.1:8101/.well-known/jwks.json", ISSUER, AUDIENCE, require_tls=True)


def test_a_ca_file_with_a_plain_url_is_a_mistake_named_at_start_up(certificates: TestCertificates) -> None:
    with pytest.raises(ConfigurationError) as error:
        make_settings(jwks_url="http://identity:8101/.well-known/jwks.json", jwks_ca_file=str(certificates.ca))
    assert error.value.problems == ["JWKS_URL: is plain http://, but JWKS_CA_FILE is set: use identity's https:// URL"]


def test_without_the_requirement_plain_http_stays_accepted_as_in_the_dev_stack() -> None:
    settings = make_settings(jwks_url="http://127.0.0.1:8101/.well-known/jwks.json")
    assert settings.jwks_require_tls is False and settings.jwks_ca_file is None
    assert JwksTokenVerifier.from_settings(settings).jwks_url.startswith("http://127.0.0.1")


def test_an_unreadable_ca_file_stops_the_verifier_being_built(tmp_path: Path) -> None:
    (tmp_path / "empty.crt").write_text("")
    for missing in (tmp_path / "absent.crt", tmp_path / "empty.crt"):
        with pytest.raises(TlsConfigurationError, match=str(missing)):
            JwksTokenVerifier("https://identity:8101/jwks", ISSUER, AUDIENCE, ca_file=str(missing))
