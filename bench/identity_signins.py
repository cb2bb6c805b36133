"""Sign-ins per second on this machine, and whether password hashing stalls the event loop.

    python bench/identity_signins.py [--concurrency 8] [--duration 10]

Starts the identity service under uvicorn in its own process (one worker, uvloop) on a freshly migrated
database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded servers), signs up users, then for
``--duration`` seconds runs ``--concurrency`` clients signing in back to back while one more client asks
for a cheap endpoint (GET /health/live and GET /.well-known/jwks.json, alternating) every 20 ms. The cheap
request's latency is also measured with no sign-ins running, for comparison. Target: its p99 <= 25 ms
while sign-ins run (argon2id runs in threads, so the loop keeps answering).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import httpx
import nats

from _common import percentile, servers
from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.migrations import upgrade
from wellflow_servicekit.provisioning import drop_service_database, provision_service_database
from wellflow_servicekit.runtime import run as run_loop

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIR = ROOT / "services" / "identity"
PASSWORD = "correct horse battery staple"


@contextlib.asynccontextmanager
async def identity_server() -> AsyncIterator[tuple[str, str]]:
    with servers() as (admin_url, nats_url, where):
        suffix = f"_b{uuid4().hex[:8]}"
        database = await provision_service_database(
            admin_url, "identity", owner_password="bench-owner", runtime_password="bench-app", database_suffix=suffix
        )
        root = f"wfbench{uuid4().hex[:6]}"
        process = None
        try:
            await asyncio.to_thread(upgrade, SERVICE_DIR, database.owner_url)
            await ensure_stream(nats_url, root)
            from wellflow_devstack.servers import free_port

            port = free_port()
            env = {
                **os.environ,
                "SERVICE_NAME": "identity",
                "DATABASE_URL": database.runtime_url,
                "NATS_URL": nats_url,
                "EVENT_SUBJECT_ROOT": root,
                "JWKS_URL": f"http://127.0.0.1:{port}/.well-known/jwks.json",
                "JWT_ISSUER": "wellflow-identity",
                "JWT_AUDIENCE": "wellflow",
                "KEY_ENCRYPTION_KEY": "bench-key-encryption-key-0123456789abcdef",
                "LOG_LEVEL": "WARNING",
            }
            command = [sys.executable, "-m", "uvicorn", "--factory", "wellflow_identity.bootstrap:create_app"]
            command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
            process = subprocess.Popen(command, env=env, cwd=ROOT)
            base = f"http://127.0.0.1:{port}"
            async with httpx.AsyncClient(base_url=base) as client:
                for _ in range(300):
                    with contextlib.suppress(httpx.HTTPError):
                        if (await client.get("/health/ready")).status_code == 200:
                            break
                    await asyncio.sleep(0.1)
                else:
                    raise RuntimeError("identity did not become ready")
            yield base, where
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
            with contextlib.suppress(Exception):
                connection = await nats.connect(nats_url)
                await connection.jetstream().delete_stream(stream_name(root))
                await connection.close()
            await drop_service_database(admin_url, "identity", database_suffix=suffix)


async def probe(client: httpx.AsyncClient, stop: asyncio.Event, latencies: list[float]) -> None:
    paths = ("/health/live", "/.well-known/jwks.json")
    n = 0
    while not stop.is_set():
        started = time.perf_counter()
        response = await client.get(paths[n % 2])
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        n += 1
        await asyncio.sleep(0.02)


async def signer(client: httpx.AsyncClient, email: str, stop: asyncio.Event, latencies: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        response = await client.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text


def _latency(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5):.2f} ms, p99 {percentile(values, 0.99):.2f} ms ({len(values)} requests)"


async def main(concurrency: int, duration: float) -> None:
    async with identity_server() as (base, where):
        limits = httpx.Limits(max_connections=concurrency + 4)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            emails = []
            for n in range(concurrency):
                email = f"bench-{n}-{uuid4().hex[:6]}@example.com"
                body = {
                    "organization": {"name": f"Bench Operator {n}"},
                    "user": {"email": email, "password": PASSWORD, "full_name": "Bench User"},
                }
                response = await client.post("/api/v1/auth/signup", json=body)
                assert response.status_code == 201, response.text
                emails.append(email)

            idle: list[float] = []
            stop = asyncio.Event()
            task = asyncio.create_task(probe(client, stop, idle))
            await asyncio.sleep(min(3.0, duration))
            stop.set()
            await task

            busy: list[float] = []
            signins: list[float] = []
            stop = asyncio.Event()
            tasks = [asyncio.create_task(signer(client, email, stop, signins)) for email in emails]
            await asyncio.sleep(0.5)  # let the sign-ins get going before measuring
            signins.clear()
            started = time.perf_counter()
            tasks.append(asyncio.create_task(probe(client, stop, busy)))
            await asyncio.sleep(duration)
            stop.set()
            elapsed = time.perf_counter() - started
            await asyncio.gather(*tasks)

    rate = len(signins) / elapsed
    rows = [
        ("servers", f"{where}; identity under uvicorn, 1 worker, {os.cpu_count()} CPUs"),
        ("password hashing", "argon2id m=19456 KiB, t=2, p=1, in a low-priority thread pool, one thread per CPU"),
        ("sign-ins", f"{rate:,.1f} /s at concurrency {concurrency} ({len(signins)} in {elapsed:.1f} s)"),
        ("sign-in latency", f"p50 {percentile(signins, 0.5):.1f} ms, p99 {percentile(signins, 0.99):.1f} ms"),
        ("cheap request, idle", _latency(idle)),
        ("cheap request, loaded", _latency(busy)),
    ]
    for label, value in rows:
        print(f"{label + ':':<24} {value}")
    verdict = "met" if percentile(busy, 0.99) <= 25 else "MISSED"
    print(f"target p99 <= 25 ms:     {verdict}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    run_loop(main(args.concurrency, args.duration))
