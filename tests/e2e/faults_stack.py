"""Services as separate OS processes for the fault tests: each under uvicorn exactly as ``wellflow up`` runs it
(``wellflow_devstack.stack.ServiceProcess``), on a database of its own from the devstack pytest plugin, one
event subject root, and access tokens from a ``TokenMint`` whose JWKS a tiny HTTP server in the test serves.

Only separate processes can be killed with SIGKILL or outlive a NATS restart the way production would.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
from e2e_waiting import tolerant

from wellflow_contracts import IntegrationEvent, encode, to_headers
from wellflow_contracts.events.wells import LeaseRegistered, WellRegistered
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import event_subject, stream_name
from wellflow_devstack.discovery import ServiceSpec, discover_services
from wellflow_devstack.servers import free_port
from wellflow_devstack.stack import ServiceProcess
from wellflow_devstack.tokens import AUDIENCE, ISSUER, TokenMint
from wellflow_servicekit.testing import until

ROOT = Path(__file__).resolve().parents[2]


class JwksServer:
    """Serves the mint's public key at ``/.well-known/jwks.json`` on a free port, as identity would."""

    def __init__(self, mint: TokenMint) -> None:
        body = mint.jwks(httpx.Request("GET", "http://jwks")).content

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="jwks", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def spec(name: str) -> ServiceSpec:
    """The service as its pyproject declares it, on a free port."""
    found = {s.name: s for s in discover_services(ROOT)}
    return replace(found[name], port=free_port())


@dataclass
class Stack:
    """Started service processes by name, the env each got, and how to reach them."""

    nats_url: str
    subject_root: str
    jwks: JwksServer
    mint: TokenMint
    logs: Path
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    databases: dict[str, Any] = field(default_factory=dict)

    def base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WELLFLOW_TEST_", "DATABASE_", "NATS_"))}
        env.update(
            {
                "NATS_URL": self.nats_url,
                "EVENT_SUBJECT_ROOT": self.subject_root,
                "JWKS_URL": self.jwks.url,
                "JWT_ISSUER": ISSUER,
                "JWT_AUDIENCE": AUDIENCE,
                "HTTP_HOST": "127.0.0.1",
                "PYTHONUNBUFFERED": "1",
                "LOG_LEVEL": "WARNING",
                "LOG_FORMAT": "text",
                "DB_POOL_SIZE": "6",
            }
        )
        return env

    async def add(self, name: str, service_database: Callable[..., Awaitable[Any]] | None, **extra: str) -> str:
        """Provision (and migrate) the service's database, start its process, wait until it is ready."""
        service = spec(name)
        env = {**self.base_env(), "SERVICE_NAME": name, "HTTP_PORT": str(service.port), **extra}
        if service.database and service_database is not None:
            database = await service_database(name, migrations=service.migrations)
            self.databases[name] = database
            env["DATABASE_URL"] = database.runtime_url
            env["DATABASE_OWNER_URL"] = database.owner_url
        process = ServiceProcess(service, env, self.logs / f"{name}.log")
        self.processes[name] = process
        process.start()
        await asyncio.to_thread(process.wait_ready, 90)
        return process.url

    def url(self, name: str) -> str:
        return self.processes[name].url

    def kill(self, name: str) -> None:
        """SIGKILL the service's process group: no shutdown hook runs, in-flight requests die mid-way."""
        process = self.processes[name]
        assert process.popen is not None
        os.killpg(process.popen.pid, signal.SIGKILL)
        process.popen.wait(timeout=10)

    async def restart(self, name: str) -> None:
        """Start the service again on the same port, database and environment."""
        old = self.processes[name]
        process = ServiceProcess(old.spec, old.env, old.log_file)
        self.processes[name] = process
        deadline = time.monotonic() + 15
        while True:  # the killed process's socket may linger for a moment
            try:
                process.start()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        await asyncio.to_thread(process.wait_ready, 90)

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop(timeout=5)
        self.jwks.close()

    def headers(self, org: UUID, role: str = "owner") -> dict[str, str]:
        return self.mint.headers(org, role, subject=f"{role}@faults.test")


async def publish(nc: Any, root: str, event: IntegrationEvent, msg_id: str | None = None) -> None:
    """Publish an integration event the way its producer's outbox relay does."""
    headers = to_headers(event, source=f"/wellflow/{event.producer}")
    if msg_id is not None:
        headers["Nats-Msg-Id"] = msg_id
    await nc.jetstream().publish(
        event_subject(event.tenant_id, event.type, root), encode(event), headers=headers, stream=stream_name(root)
    )


async def publish_lease_and_well(
    nc: Any, root: str, org: UUID, lease_id: UUID, *, name: str, rrc_lease_number: str, api_number: str
) -> None:
    """Announce an oil lease and its one producing well (``<name> #1``) as the wells service would."""
    lease = {"rrc_district": "08", "rrc_lease_number": rrc_lease_number, "lease_type": "oil"}
    await publish(nc, root, LeaseRegistered(tenant_id=org, lease_id=lease_id, name=name, status="active", **lease))
    well = WellRegistered(
        tenant_id=org,
        well_id=uuid7(),
        name=f"{name} #1",
        api_number=api_number,
        lease_id=lease_id,
        well_type="oil",
        purpose="development",
        status="producing",
        **lease,
    )
    await publish(nc, root, well)


def daily_readings(well_ids: list[str], days: int, rng: random.Random) -> list[dict[str, Any]]:
    """One reading per well-day on the ``days`` days before three days ago, with whole-barrel volumes."""
    last = date.today() - timedelta(days=3)
    return [
        {
            "reading_id": str(uuid4()),
            "well_id": well_id,
            "production_date": (last - timedelta(days=d)).isoformat(),
            "oil_bbl": str(rng.randint(5, 40)),
            "gas_mcf": str(rng.randint(10, 90)),
            "water_bbl": str(rng.randint(0, 12)),
            "hours_on": "24",
            # the volumes jump up to 8x from day to day, which production asks about (a slipped digit); confirmed
            "confirm": True,
        }
        for d in range(days)
        for well_id in well_ids
    ]


def monthly_sums(readings: list[dict[str, Any]], assets: Assets) -> dict[tuple[str, str], dict[str, int]]:
    """Oil, gas and water of ``readings`` by (lease id, YYYY-MM)."""
    expected: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"oil": 0, "gas": 0, "water": 0})
    for reading in readings:
        sums = expected[(assets.wells[reading["well_id"]], reading["production_date"][:7])]
        for key, column in (("oil", "oil_bbl"), ("gas", "gas_mcf"), ("water", "water_bbl")):
            sums[key] += int(reading[column])
    return expected


# ----------------------------------------------------------------------------- the asset registry and readings


@dataclass(frozen=True)
class Assets:
    leases: list[str]
    wells: dict[str, str]  # well id -> lease id


async def register_assets(stack: Stack, org: UUID, leases: int, wells_per_lease: int, seed: int) -> Assets:
    """Oil leases and their wells through the wells service; returns once production knows every well (the
    registry reaches it over NATS)."""
    headers = stack.headers(org)
    lease_ids: list[str] = []
    wells: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=stack.url("wells"), headers=headers, timeout=30) as client:
        for n in range(leases):
            lease = await client.post(
                "/api/v1/leases",
                json={
                    "name": f"Fault Lease {seed}-{n}",
                    "rrc_district": "08",
                    "rrc_lease_number": f"{(seed * 97 + n) % 90000 + 10000}",
                    "lease_type": "oil",
                },
            )
            assert lease.status_code == 201, lease.text
            lease_ids.append(lease.json()["id"])
            for w in range(wells_per_lease):
                well = await client.post(
                    "/api/v1/wells",
                    json={
                        "name": f"Fault Lease {seed}-{n} #{w + 1}",
                        "api_number": f"42-329-{(seed * 131 + n * 10 + w) % 90000 + 10000:05d}",
                        "lease_id": lease_ids[-1],
                        "well_type": "oil",
                        "purpose": "development",
                        "status": "producing",
                    },
                )
                assert well.status_code == 201, well.text
                wells[well.json()["id"]] = lease_ids[-1]
    async with httpx.AsyncClient(base_url=stack.url("production"), headers=headers, timeout=30) as client:

        async def production_knows_every_well() -> bool:
            for lease_id in lease_ids:
                answer = await client.get(f"/api/v1/production/leases/{lease_id}/monthly")
                if answer.status_code != 200:
                    return False
            for well_id in wells:
                answer = await client.get(f"/api/v1/production/wells/{well_id}/daily")
                if answer.status_code != 200:
                    return False
            return True

        await until(tolerant(production_knows_every_well), 60, "the leases and wells to reach production", every=0.25)
    return Assets(lease_ids, wells)


async def readings_in_production(client: httpx.AsyncClient, lease_id: str) -> list[dict[str, Any]]:
    """Every reading of a lease, page by page (``next_cursor``)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"lease_id": lease_id, "limit": 500, "from": "2000-01-01"}
        if cursor:
            params["cursor"] = cursor
        page = await client.get("/api/v1/readings", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


async def production_months(client: httpx.AsyncClient, lease_id: str, first: str) -> dict[str, dict[str, Any]]:
    """Production's lease-month rollups of a lease: month (YYYY-MM) -> point."""
    answer = await client.get(f"/api/v1/production/leases/{lease_id}/monthly", params={"from": first})
    assert answer.status_code == 200, answer.text
    return {point["month"][:7]: point for point in answer.json()["points"]}


async def compliance_lines(client: httpx.AsyncClient, period: str) -> dict[str, dict[str, Any]]:
    """Compliance's Form PR draft lines of a period: lease id -> line (empty when there is no draft yet)."""
    answer = await client.get(f"/api/v1/form-pr/{period}")
    if answer.status_code == 404:
        return {}
    assert answer.status_code == 200, answer.text
    return {line["lease_id"]: line for line in answer.json()["lines"]}


Expected = dict[tuple[str, str], dict[str, int]]
"""(lease id, YYYY-MM) -> {"oil": .., "gas": .., "water": ..}: what the client sent, summed."""


async def assert_production_and_compliance_agree(
    stack: Stack, org: UUID, assets: Assets, sent: dict[str, dict[str, Any]], expected: Expected, timeout: float
) -> None:
    """Every reading sent exists exactly once in production; production's lease-month totals are the sums of
    the readings; compliance's Form PR lines carry production's latest revision and the same volumes."""
    from collections import Counter
    from decimal import Decimal

    first = min(month for _, month in expected) + "-01"
    periods = sorted({month for _, month in expected})
    async with (
        httpx.AsyncClient(base_url=stack.url("production"), headers=stack.headers(org), timeout=60) as production,
        httpx.AsyncClient(base_url=stack.url("compliance"), headers=stack.headers(org), timeout=60) as compliance,
    ):
        stored: list[dict[str, Any]] = []
        for lease_id in assets.leases:
            stored += await readings_in_production(production, lease_id)
        ids = Counter(item["reading_id"] for item in stored)
        assert set(ids) == set(sent), f"{len(set(sent) - set(ids))} readings lost, {len(set(ids) - set(sent))} unknown"
        assert max(ids.values()) == 1, f"readings stored twice: {[i for i, n in ids.items() if n > 1][:5]}"
        days = Counter((item["well_id"], item["production_date"]) for item in stored)
        assert max(days.values()) == 1, "a well-day holds two readings"
        for item in stored:
            body = sent[item["reading_id"]]
            assert item["version"] == 1, f"a retry was applied as a change: {item}"
            for name in ("oil_bbl", "gas_mcf", "water_bbl"):
                assert Decimal(item[name]) == Decimal(body[name]), item

        months: dict[tuple[str, str], dict[str, Any]] = {}
        for lease_id in assets.leases:
            for month, point in (await production_months(production, lease_id, first)).items():
                months[(lease_id, month)] = point
        assert set(months) == set(expected)
        for key, sums in expected.items():
            point = months[key]
            got = {
                "oil": Decimal(point["oil_bbl"]),
                "gas": Decimal(point["casinghead_gas_mcf"]),
                "water": Decimal(point["water_bbl"]),
            }
            assert got == {k: Decimal(v) for k, v in sums.items()}, (key, point, sums)

        async def compliance_caught_up() -> dict[str, dict[str, dict[str, Any]]] | None:
            lines = {period: await compliance_lines(compliance, period) for period in periods}
            behind = [
                key
                for key, point in months.items()
                if (lines[key[1]].get(key[0]) or {}).get("source_revision") != point["revision"]
            ]
            return None if behind else lines

        lines = await until(
            tolerant(compliance_caught_up), timeout, "compliance to hold production's latest revisions", every=1.0
        )
        for (lease_id, month), point in months.items():
            line = lines[month][lease_id]
            assert line["liquid_production"] == int(Decimal(point["oil_bbl"])), (line, point)
            assert line["gas_production"] == int(Decimal(point["casinghead_gas_mcf"])), (line, point)
