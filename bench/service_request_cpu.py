"""CPU per read request of one service and of PostgreSQL, each service under uvicorn as `wellflow up` runs it.

    .venv/bin/python bench/service_request_cpu.py [--requests 1500] [--concurrency 4] [--only wells,production]
        [--profile DIR]

For each of identity, wells, production and compliance: provisions and migrates the service's database on
embedded PostgreSQL and NATS in a temporary folder (or WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL; PostgreSQL's
CPU is only counted on embedded servers), starts the service with the very command `wellflow up` uses
(`ServiceProcess.command()` of tools/devstack, so its uvicorn flags are what is measured), with the dev stack's
settings: LOG_LEVEL INFO, JSON logs, spans exported over OTLP every 500 ms (to a sink in this process, which
also serves the JWKS of the benchmark's signing key). Seeds what the reads need through the service's API (or,
for compliance, its tables), then for each read kind sends ``--requests`` authenticated GETs (after a warm-up)
over ``--concurrency`` keep-alive connections and prints, per request: the service process's CPU (utime+stime
from /proc/<pid>/stat), PostgreSQL's (every process of the embedded server) and their sum, beside the target
of issue 20 (a read costs the stack 2.5 ms or less, service + PostgreSQL; the gateway is measured apart).

``--profile DIR`` runs each service under py-spy (``--format raw``, collapsed stacks, seeding included) into
DIR/<service>.txt (py-spy is in the dev dependencies); the CPU figures of a profiled run are
inflated by the sampling: use them for where the time goes, not how much.

The load generator runs in this process; its CPU is not counted. Reads per kind:

    identity     GET /api/v1/me
    wells        GET /api/v1/wells?limit=50                      (50 of 200 wells)
    wells        GET /api/v1/wells?lease_id=..&limit=50          (the lease's 50 wells)
    production   GET /api/v1/readings?well_id=..&limit=30        (a well with 120 readings)
    production   GET /api/v1/production/leases/{id}/monthly?from=..&to=..   (12 months)
    compliance   GET /api/v1/form-pr                             (the reports list)
    compliance   GET /api/v1/form-pr/{period}?limit=50           (a draft of 40 leases)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import random
import signal
import sys
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import aiohttp
import psutil

from _common import AUDIENCE, ISSUER, ROOT, Signer, migrated_service
from wellflow_servicekit.runtime import run as run_loop

TARGET_MS = 2.5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------------ CPU accounting


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) a process has used, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def postgres_pids(port: int) -> list[int]:
    """Every process of the PostgreSQL server listening on ``port`` (the postmaster, as `port=N` on its command
    line, and its children: the backends and the background workers)."""
    for process in psutil.process_iter(["name", "cmdline"]):
        with contextlib.suppress(psutil.Error):
            cmdline = process.info["cmdline"] or []
            if process.info["name"] == "postgres" and f"port={port}" in cmdline:
                return [process.pid, *(child.pid for child in process.children(recursive=True))]
    return []


class CpuMeter:
    """CPU of the service process and of PostgreSQL's processes between `start()` and `stop()`."""

    def __init__(self, service_pid: int, pg_port: int) -> None:
        self.service_pid = service_pid
        self.pg_port = pg_port
        self._service = 0.0
        self._pg: dict[int, float] = {}

    def start(self) -> None:
        self._service = process_cpu(self.service_pid)
        self._pg = {pid: process_cpu(pid) for pid in postgres_pids(self.pg_port)}

    def stop(self) -> tuple[float, float]:
        service = process_cpu(self.service_pid) - self._service
        pg = sum(process_cpu(pid) - self._pg.get(pid, 0.0) for pid in postgres_pids(self.pg_port))
        return service, pg


# ------------------------------------------------------------------------------------ JWKS + OTLP sink


def start_sink(signer: Signer) -> tuple[ThreadingHTTPServer, int]:
    """A tiny HTTP server: the JWKS of ``signer`` at /.well-known/jwks.json, and 200 to every OTLP export."""
    jwks = json.dumps(signer.jwks()).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(jwks)))
            self.end_headers()
            self.wfile.write(jwks)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


# ------------------------------------------------------------------------------------ the service process


@contextlib.asynccontextmanager
async def running_service(
    name: str, extra_env: dict[str, str] | None = None, profile: Path | None = None
) -> AsyncIterator[Any]:
    """``name`` migrated and started as `wellflow up` starts it; yields (base URL, pid, signer, env). With
    ``profile`` (a folder), the service runs under `py-spy record --format raw` (attaching to a running
    process is refused on this machine), written to ``<profile>/<name>.txt`` when it stops."""
    from wellflow_devstack.discovery import discover_services
    from wellflow_devstack.servers import free_port
    from wellflow_devstack.stack import ServiceProcess

    signer = Signer()
    sink, sink_port = start_sink(signer)
    async with migrated_service(name) as env:
        spec = next(s for s in discover_services(ROOT) if s.name == name)
        spec = dataclasses.replace(spec, port=free_port())
        variables = {
            **os.environ,
            "SERVICE_NAME": name,
            "HTTP_PORT": str(spec.port),
            "HTTP_HOST": "127.0.0.1",
            "DATABASE_URL": env.runtime_url,
            "DATABASE_OWNER_URL": env.owner_url,
            "NATS_URL": env.nats_url,
            "EVENT_SUBJECT_ROOT": env.root,
            "JWKS_URL": f"http://127.0.0.1:{sink_port}/.well-known/jwks.json",
            "JWT_ISSUER": ISSUER,
            "JWT_AUDIENCE": AUDIENCE,
            "KEY_ENCRYPTION_KEY": "bench-key-encryption-key-0123456789abcdef",
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink_port}",
            "OTEL_BSP_SCHEDULE_DELAY": "500",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        log_file = Path(tempfile.mkdtemp(prefix="wellflow-bench-")) / f"{name}.log"
        process = ServiceProcess(spec, variables, log_file)
        if profile is not None:
            profile.mkdir(parents=True, exist_ok=True)
            spy = [str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw", "--rate", "100"]
            spy += ["--output", str(profile / f"{name}.txt"), "--"]
            command = [*spy, *process.command()]
            process.command = lambda: command  # type: ignore[method-assign]
        process.start()
        assert process.popen is not None
        try:
            process.wait_ready(120)
            pid = process.popen.pid
            if profile is not None:
                pid = psutil.Process(pid).children()[0].pid
            yield process.url, pid, signer, env
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.popen.pid, signal.SIGINT)  # py-spy writes its profile on SIGINT
            process.popen.wait(timeout=60)
            sink.shutdown()


# ------------------------------------------------------------------------------------ load and measure


@dataclasses.dataclass
class Kind:
    name: str
    path: str
    token: str


async def measure(
    url: str, pid: int, pg_port: int, kinds: list[Kind], requests: int, concurrency: int
) -> list[tuple[str, float, float]]:
    rows = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        for kind in kinds:
            headers = {"Authorization": f"Bearer {kind.token}"}

            async def one(path: str = kind.path, headers: dict[str, str] = headers) -> None:
                async with session.get(url + path, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"GET {path}: {response.status} {await response.text()}")

            await drive(one, 200, concurrency)  # warm-up: pool, plans, caches
            meter = CpuMeter(pid, pg_port)
            meter.start()
            await drive(one, requests, concurrency)
            await asyncio.sleep(0.6)  # the span batch of these requests is exported (OTEL_BSP_SCHEDULE_DELAY)
            service, pg = meter.stop()
            rows.append((kind.name, service * 1000 / requests, pg * 1000 / requests))
    return rows


async def drive(one: Callable[[], Awaitable[None]], count: int, concurrency: int) -> None:
    remaining = count

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await one()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def post(session: aiohttp.ClientSession, url: str, token: str | None, body: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with session.post(url, json=body, headers=headers) as response:
        text = await response.text()
        if response.status >= 300:
            raise SystemExit(f"POST {url}: {response.status} {text}")
        return json.loads(text) if text else None


# ------------------------------------------------------------------------------------ per service


async def identity_kinds(url: str, signer: Signer, env: Any) -> list[Kind]:
    async with aiohttp.ClientSession() as session:
        body = {
            "organization": {"name": f"Mesa {uuid4().hex[:6]}", "rrc_operator_number": "123456"},
            "user": {"email": f"owner-{uuid4().hex[:8]}@mesa.com", "password": "correct horse battery staple"},
        }
        body["user"]["full_name"] = "Bench Owner"
        answer = await post(session, f"{url}/api/v1/auth/signup", None, body)
    return [Kind("identity GET /me", "/api/v1/me", answer["access_token"])]


async def wells_kinds(url: str, signer: Signer, env: Any) -> list[Kind]:
    token = signer.token(uuid4(), "owner")
    async with aiohttp.ClientSession() as session:
        lease_ids = []
        for n in range(4):
            number = f"{40000 + n}"
            lease = {"name": f"Lease {n}", "rrc_district": "08", "rrc_lease_number": number, "lease_type": "oil"}
            lease_ids.append((await post(session, f"{url}/api/v1/leases", token, lease))["id"])
        for n in range(200):
            well = {
                "name": f"Mesa {n}H",
                "api_number": f"42-329-{30000 + n:05d}",
                "lease_id": lease_ids[n % 4],
                "well_type": "oil",
                "purpose": "development",
                "status": "producing",
            }
            await post(session, f"{url}/api/v1/wells", token, well)
    return [
        Kind("wells GET /wells", "/api/v1/wells?limit=50", token),
        Kind("wells GET /wells?lease_id", f"/api/v1/wells?lease_id={lease_ids[1]}&limit=50", token),
    ]


async def production_kinds(url: str, signer: Signer, env: Any) -> list[Kind]:
    from _production_setup import seed

    org = uuid4()
    token = signer.token(org, "owner")
    leases = await seed(env.runtime_url, org, 2, 4)
    well_id = leases[0].well_ids[0]
    today = date.today()
    async with aiohttp.ClientSession() as session:
        for well in leases[0].well_ids[:2]:
            for n in range(120):
                reading = {
                    "reading_id": str(uuid4()),
                    "well_id": str(well),
                    "production_date": (today - timedelta(days=1 + 3 * n)).isoformat(),
                    "oil_bbl": str(20 + n % 17),
                    "gas_mcf": "35.5",
                    "water_bbl": "6",
                    "hours_on": "24",
                }
                await post(session, f"{url}/api/v1/readings", token, reading)
    month = today.replace(day=1)
    series = f"/api/v1/production/leases/{leases[0].lease_id}/monthly"
    series += f"?from={(month - timedelta(days=365)).replace(day=1).isoformat()}&to={month.isoformat()}"
    return [
        Kind("production GET /readings", f"/api/v1/readings?well_id={well_id}&limit=30", token),
        Kind("production GET lease monthly", series, token),
    ]


async def compliance_kinds(url: str, signer: Signer, env: Any) -> list[Kind]:
    import compliance_form_pr as form_pr

    from wellflow_compliance.adapters.unit_of_work import SqlComplianceWork
    from wellflow_compliance.app.drafts import ensure_report
    from wellflow_contracts.ids import uuid7
    from wellflow_servicekit.database import Database

    tenant: UUID = uuid7()
    database = Database(env.runtime_url, service="compliance", pool_size=2, work_type=SqlComplianceWork)
    try:
        await form_pr.seed(database, tenant, 40, 2, random.Random(7))
        async with database.unit_of_work(tenant) as uow:
            await ensure_report(uow, tenant, form_pr.JUNE, datetime.now(UTC))
            await ensure_report(uow, tenant, form_pr.JULY, datetime.now(UTC))
    finally:
        await database.dispose()
    token = signer.token(tenant, "owner")
    period = form_pr.JULY.strftime("%Y-%m")
    return [
        Kind("compliance GET /form-pr", "/api/v1/form-pr", token),
        Kind("compliance GET /form-pr/{period}", f"/api/v1/form-pr/{period}?limit=50", token),
    ]


SERVICES: dict[str, Callable[[str, Signer, Any], Awaitable[list[Kind]]]] = {
    "identity": identity_kinds,
    "wells": wells_kinds,
    "production": production_kinds,
    "compliance": compliance_kinds,
}
EXTRA_ENV = {"production": {"ALERT_CHECK_INTERVAL": "0"}}


async def main(args: argparse.Namespace) -> None:
    names = args.only.split(",") if args.only else list(SERVICES)
    rows: list[tuple[str, float, float]] = []
    for name in names:
        async with running_service(name, EXTRA_ENV.get(name), args.profile) as (url, pid, signer, env):
            kinds = await SERVICES[name](url, signer, env)
            pg_port = urlsplit(env.admin_url).port or 5432
            rows += await measure(url, pid, pg_port, kinds, args.requests, args.concurrency)
    print(f"CPU per read request, {args.requests} requests per kind over {args.concurrency} connections")
    print(f"(service under `wellflow up`'s uvicorn command, PostgreSQL embedded; target <= {TARGET_MS} ms)")
    print(f"| {'request':<36} | service ms | PostgreSQL ms | sum ms |")
    print(f"|{'-' * 38}|-----------:|--------------:|-------:|")
    for kind, service, pg in rows:
        print(f"| {kind:<36} | {service:10.2f} | {pg:13.2f} | {service + pg:6.2f} |")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--only", default="", help="comma-separated services (identity,wells,production,compliance)")
    parser.add_argument("--profile", type=Path, default=None, help="record each kind with py-spy into this folder")
    run_loop(main(parser.parse_args()))
