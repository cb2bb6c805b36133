"""What the benchmarks share: servers (existing ones, or embedded in a temp folder), a provisioned database
(with the messaging tables, or a service's own migrated one), a stream under a subject root of the run's own,
and signed tokens with the verifier that accepts them (no identity service needed)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar
from uuid import UUID, uuid4

import httpx
import jwt
import nats
from cryptography.hazmat.primitives.asymmetric import ed25519
from jwt.algorithms import OKPAlgorithm
from sqlalchemy.ext.asyncio import create_async_engine

from wellflow_contracts import IntegrationEvent
from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.auth import JwksTokenVerifier
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.migrations import upgrade
from wellflow_servicekit.provisioning import drop_service_database, provision_service_database
from wellflow_servicekit.settings import load_settings
from wellflow_servicekit.tables import messaging_metadata

ROOT = Path(__file__).resolve().parents[1]
JWKS_URL = "http://identity.bench/.well-known/jwks.json"
ISSUER, AUDIENCE, KID = "wellflow-identity", "wellflow", "bench"
T = TypeVar("T")


class ReadingRecorded(IntegrationEvent):
    """A daily reading was recorded for a well (benchmark event, shaped like production's)."""

    type: Literal["bench.reading_recorded.v1"] = "bench.reading_recorded.v1"
    well_id: str
    reading_date: str
    oil_bbl: str
    gas_mcf: str
    water_bbl: str

    aggregate_field = "well_id"


@dataclass
class BenchEnv:
    admin_url: str
    nats_url: str
    runtime_url: str
    owner_url: str
    root: str
    where: str

    @property
    def stream(self) -> str:
        return stream_name(self.root)

    def settings(self, settings_class: type[T], service: str, **overrides: Any) -> T:
        """``service``'s settings on this database, NATS and subject root, with tokens from ``Signer``."""
        values = {
            "service_name": service,
            "database_url": self.runtime_url,
            "nats_url": self.nats_url,
            "event_subject_root": self.root,
            "jwks_url": JWKS_URL,
            "jwt_issuer": ISSUER,
            "jwt_audience": AUDIENCE,
            "log_level": "WARNING",
            **overrides,
        }
        return load_settings(settings_class, **values)


@contextlib.contextmanager
def servers() -> Iterator[tuple[str, str, str]]:
    """(admin URL, NATS URL, a description): the servers named by WELLFLOW_DATABASE_URL and
    WELLFLOW_NATS_URL, else embedded ones in a temporary folder, stopped on exit."""
    with contextlib.ExitStack() as stack:
        admin_url = os.environ.get("WELLFLOW_DATABASE_URL")
        nats_url = os.environ.get("WELLFLOW_NATS_URL")
        where = "existing servers"
        if not admin_url or not nats_url:
            from wellflow_devstack.servers import EmbeddedNats, EmbeddedPostgres, free_port

            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wellflow-bench-")))
            where = "embedded PostgreSQL and NATS (fsync on)"
            if not admin_url:
                pg = EmbeddedPostgres(folder / "pg", free_port())
                pg.start()
                stack.callback(pg.stop)
                admin_url = pg.admin_url
            if not nats_url:
                server = EmbeddedNats(folder / "nats", free_port())
                server.start()
                stack.callback(server.stop)
                nats_url = server.url
        yield admin_url, nats_url, where


@contextlib.asynccontextmanager
async def bench_env() -> AsyncIterator[BenchEnv]:
    with servers() as (admin_url, nats_url, where):
        suffix = f"_b{uuid4().hex[:8]}"
        database = await provision_service_database(
            admin_url, "bench", owner_password="bench-owner", runtime_password="bench-app", database_suffix=suffix
        )
        try:
            engine = create_async_engine(database.owner_url)
            async with engine.begin() as conn:
                await conn.run_sync(messaging_metadata.create_all)
            await engine.dispose()
            root = f"wfbench{uuid4().hex[:6]}"
            await ensure_stream(nats_url, root)
            try:
                yield BenchEnv(admin_url, nats_url, database.runtime_url, database.owner_url, root, where)
            finally:
                connection = await nats.connect(nats_url)
                await connection.jetstream().delete_stream(stream_name(root))
                await connection.close()
        finally:
            await drop_service_database(admin_url, "bench", database_suffix=suffix)


@contextlib.asynccontextmanager
async def migrated_service(service: str) -> AsyncIterator[BenchEnv]:
    """``service``'s own database, provisioned and migrated (services/<service>), and a stream under a subject
    root of the run's own, on ``servers()``; both dropped on exit."""
    with servers() as (admin_url, nats_url, where):
        suffix = f"_b{uuid4().hex[:8]}"
        database = await provision_service_database(
            admin_url, service, owner_password="bench-owner", runtime_password="bench-app", database_suffix=suffix
        )
        root = f"wfbench{uuid4().hex[:6]}"
        try:
            await asyncio.to_thread(upgrade, ROOT / "services" / service, database.owner_url)
            await ensure_stream(nats_url, root)
            yield BenchEnv(admin_url, nats_url, database.runtime_url, database.owner_url, root, where)
        finally:
            try:
                connection = await nats.connect(nats_url)
                await connection.jetstream().delete_stream(stream_name(root))
                await connection.close()
            finally:
                await drop_service_database(admin_url, service, database_suffix=suffix)


class Signer:
    """Tokens for one organization, and the verifier that accepts them (no identity service needed)."""

    def __init__(self) -> None:
        self.key = ed25519.Ed25519PrivateKey.generate()

    def token(self, org: UUID | str, role: str = "manager") -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": str(uuid4()), "org": str(org), "role": role}
        claims.update(iat=now, exp=now + 7200)
        return jwt.encode(claims, self.key, algorithm="EdDSA", headers={"kid": KID, "typ": "at+jwt"})

    def jwks(self) -> dict:
        jwk = OKPAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update(kid=KID, use="sig", alg="EdDSA")
        return {"keys": [jwk]}

    def verifier(self) -> JwksTokenVerifier:
        client = httpx.AsyncClient(transport=httpx.MockTransport(lambda _: httpx.Response(200, json=self.jwks())))
        return JwksTokenVerifier(JWKS_URL, ISSUER, AUDIENCE, ("EdDSA",), client=client)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]
