"""Listing wells: server-side p50 and p99 of GET /api/v1/wells filtered by status and lease, first page of 50.

    python bench/wells_list.py [--requests 500]

Provisions and migrates a wells database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded servers),
registers 5 leases and 5,000 wells in one organization through the CSV import (1,000 per lease, half of them
producing), then asks ``--requests`` times for the first 50 producing wells of one lease (500 match) and
reports the time the app spends on each request: the app runs in this process behind httpx's ASGI transport,
so there is no socket, and the time covers token verification (keys cached), the query with its total count,
and the JSON response. Target: p50 <= 10 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path
from uuid import uuid4

import httpx
import jwt
import nats
from cryptography.hazmat.primitives.asymmetric import ed25519
from jwt.algorithms import OKPAlgorithm

from _common import percentile, servers
from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.auth import JwksTokenVerifier
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.migrations import upgrade
from wellflow_servicekit.provisioning import drop_service_database, provision_service_database
from wellflow_servicekit.runtime import run as run_loop
from wellflow_servicekit.settings import load_settings
from wellflow_wells.bootstrap import create_app
from wellflow_wells.settings import WellsSettings

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIR = ROOT / "services" / "wells"
JWKS_URL = "http://identity.bench/.well-known/jwks.json"
ISSUER, AUDIENCE = "wellflow-identity", "wellflow"
LEASES, WELLS_PER_LEASE = 5, 1000
STATUSES = ["shut_in", "drilling", "completing", "temporarily_abandoned"]


def _token(key: ed25519.Ed25519PrivateKey, org: str) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": str(uuid4()), "org": org, "role": "manager"}
    claims.update(iat=now, exp=now + 3600)
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": "bench"})


def _verifier(key: ed25519.Ed25519PrivateKey) -> JwksTokenVerifier:
    jwk = OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwk.update(kid="bench", use="sig", alg="EdDSA")
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda _: httpx.Response(200, json={"keys": [jwk]})))
    return JwksTokenVerifier(JWKS_URL, ISSUER, AUDIENCE, ("EdDSA",), client=client)


def _csv(lease_numbers: list[str]) -> bytes:
    lines = ["name,api_number,rrc_district,rrc_lease_number,well_type,purpose,status"]
    serial = 0
    for number in lease_numbers:
        for i in range(WELLS_PER_LEASE):
            serial += 1
            status = "producing" if i % 2 == 0 else STATUSES[(i // 2) % len(STATUSES)]
            lines.append(f"Lease {number} #{i:04d},42-329-{serial:05d},08,{number},oil,development,{status}")
    return ("\n".join(lines) + "\n").encode()


async def main(requests: int) -> None:
    with servers() as (admin_url, nats_url, where):
        suffix = f"_b{uuid4().hex[:8]}"
        database = await provision_service_database(
            admin_url, "wells", owner_password="bench-owner", runtime_password="bench-app", database_suffix=suffix
        )
        root = f"wfbench{uuid4().hex[:6]}"
        try:
            await asyncio.to_thread(upgrade, SERVICE_DIR, database.owner_url)
            await ensure_stream(nats_url, root)
            settings = load_settings(
                WellsSettings,
                service_name="wells",
                database_url=database.runtime_url,
                nats_url=nats_url,
                event_subject_root=root,
                jwks_url=JWKS_URL,
                jwt_issuer=ISSUER,
                jwt_audience=AUDIENCE,
                log_level="WARNING",
            )
            key = ed25519.Ed25519PrivateKey.generate()
            app = create_app(settings, token_verifier=_verifier(key))
            headers = {"Authorization": f"Bearer {_token(key, str(uuid4()))}"}
            transport = httpx.ASGITransport(app=app)
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(
                    transport=transport, base_url="http://wells.bench", headers=headers, timeout=600
                ) as client,
            ):
                numbers = [f"{10000 + n}" for n in range(LEASES)]
                lease_ids = []
                for number in numbers:
                    body = {"name": f"Lease {number}", "rrc_district": "08", "rrc_lease_number": number}
                    response = await client.post("/api/v1/leases", json={**body, "lease_type": "oil"})
                    response.raise_for_status()
                    lease_ids.append(response.json()["id"])
                started = time.perf_counter()
                imported = await client.post(
                    "/api/v1/wells/import", content=_csv(numbers), headers={"content-type": "text/csv"}
                )
                imported.raise_for_status()
                report = imported.json()
                assert report["created"] == LEASES * WELLS_PER_LEASE, report["rejected"]
                print(f"imported {report['created']} wells in {time.perf_counter() - started:.1f} s ({where})")

                params = {"status": "producing", "lease_id": lease_ids[2], "limit": 50}
                for _ in range(30):  # warm up pools, caches, plans
                    (await client.get("/api/v1/wells", params=params)).raise_for_status()
                timings = []
                for _ in range(requests):
                    t0 = time.perf_counter()
                    response = await client.get("/api/v1/wells", params=params)
                    timings.append((time.perf_counter() - t0) * 1000)
                    response.raise_for_status()
                page = response.json()
                assert page["total"] == WELLS_PER_LEASE // 2 and len(page["items"]) == 50, page["total"]
            p50, p99 = percentile(timings, 0.5), percentile(timings, 0.99)
            print(f"GET /api/v1/wells?status=producing&lease_id=..&limit=50 (500 match of 5,000), {requests} requests")
            print(
                f"  p50 {p50:.2f} ms  p99 {p99:.2f} ms  mean {statistics.fmean(timings):.2f} ms  (target p50 <= 10 ms)"
            )
        finally:
            try:
                connection = await nats.connect(nats_url)
                await connection.jetstream().delete_stream(stream_name(root))
                await connection.close()
            finally:
                await drop_service_database(admin_url, "wells", database_suffix=suffix)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    run_loop(main(parser.parse_args().requests))
