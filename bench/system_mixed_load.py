"""The whole stack on this machine: 100 concurrent users mixing reads and reading submissions through the
gateway for 60 s. Prints requests/s, p50 and p99 per kind and overall, errors, and the event lag from
production's commit to compliance's consumer at that load (p50/p99).

    python bench/system_mixed_load.py [--users 100] [--duration 60] [--write-share 0.3] [--leases 10]

Runs `wellflow up` in a temporary home (embedded PostgreSQL and NATS on free ports, every service as its own
process, exactly as a developer runs it; the services' own ports must be free, so stop a running
`make up` first). Then it signs up an operator, registers leases and one well per user through the gateway,
waits until production knows every well, and lets each user loop: with probability ``--write-share`` it
records its well's reading for the next day (a client-generated reading id), otherwise it reads one of: the
wells list, its lease's monthly series, its well's readings, the Form PR draft of the month. Users do not
pause between requests (a closed loop: the figures are the stack's capacity on 2 shared cores).

Lag: for every ``production.lease_month_updated.v1`` committed during the run, production's outbox
``created_at`` (the writing transaction's start) against compliance's inbox ``processed_at`` for that event id.
Targets (issue): p99 <= 150 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import aiohttp
import asyncpg

from _common import percentile
from wellflow_devstack.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"


def start_stack(home: Path, gateway_port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "WELLFLOW_HOME": str(home),
        "WELLFLOW_PG_PORT": str(free_port()),
        "WELLFLOW_NATS_PORT": str(free_port()),
    }
    env.pop("WELLFLOW_DATABASE_URL", None)
    env.pop("WELLFLOW_NATS_URL", None)
    log = open(home / "up.log", "wb")  # noqa: SIM115 - kept open for the child's lifetime
    return subprocess.Popen(
        [sys.executable, "-m", "wellflow_devstack", "up", "--gateway-port", str(gateway_port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


async def wait_up(stack: subprocess.Popen[bytes], home: Path, timeout: float = 300) -> None:
    """Until `wellflow up` says every service answered /health/ready (it prints "Press Ctrl-C" then)."""
    deadline = time.monotonic() + timeout
    log = home / "up.log"
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if stack.poll() is not None:
            raise SystemExit(f"wellflow up exited:\n{text[-3000:]}")
        if "Press Ctrl-C" in text:
            return
        await asyncio.sleep(0.5)
    raise SystemExit("the stack did not come up in time")


async def call(session, method, url, token=None, **kwargs):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with session.request(method, url, headers=headers, **kwargs) as response:
        body = await response.read()
        return response.status, body


async def setup_call(session, method, url, token=None, **kwargs):  # type: ignore[no-untyped-def]
    """A set-up request that waits out the gateway's rate limits (sign-ins are limited per address)."""
    for _ in range(60):
        status, body = await call(session, method, url, token, **kwargs)
        if status != 429:
            return status, body
        await asyncio.sleep(float(json.loads(body).get("retry_after", 1)))
    raise SystemExit(f"still rate limited: {method} {url}")


async def seed(session, url: str, users: int, leases: int) -> tuple[str, list[dict]]:  # type: ignore[no-untyped-def]
    status, body = await setup_call(
        session,
        "POST",
        f"{url}/api/v1/auth/signup",
        json={
            "organization": {"name": f"Mesa Load {uuid4().hex[:6]}", "rrc_operator_number": "123456"},
            "user": {"email": f"owner-{uuid4().hex[:8]}@mesaload.com", "password": PASSWORD, "full_name": "Load"},
        },
    )
    assert status == 201, body
    token = json.loads(body)["access_token"]
    lease_ids = []
    for n in range(leases):
        status, body = await setup_call(
            session,
            "POST",
            f"{url}/api/v1/leases",
            token,
            json={"name": f"Mesa {n}", "rrc_district": "08", "rrc_lease_number": f"{40000 + n}", "lease_type": "oil"},
        )
        assert status == 201, body
        lease_ids.append(json.loads(body)["id"])
    wells = []
    for n in range(users):
        lease = lease_ids[n % leases]
        api = f"42-329-{30000 + n:05d}"
        status, body = await setup_call(
            session,
            "POST",
            f"{url}/api/v1/wells",
            token,
            json={
                "name": f"Mesa {n}H",
                "api_number": api,
                "lease_id": lease,
                "well_type": "oil",
                "purpose": "development",
                "status": "producing",
            },
        )
        assert status == 201, body
        wells.append({"well_id": json.loads(body)["id"], "lease_id": lease})
    # production learns of wells through NATS: wait until it accepts a reading for the last one
    probe_day = (date.today() - timedelta(days=400)).isoformat()
    deadline = time.monotonic() + 60
    for well in (wells[0], wells[-1]):
        while True:
            status, body = await setup_call(
                session,
                "POST",
                f"{url}/api/v1/readings",
                token,
                json={
                    "reading_id": str(uuid4()),
                    "well_id": well["well_id"],
                    "production_date": probe_day,
                    "oil_bbl": "1",
                    "gas_mcf": "1",
                    "water_bbl": "0",
                    "hours_on": "24",
                },
            )
            if status in (200, 201):
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"production never learned of the wells: {status} {body[:300]!r}")
            await asyncio.sleep(0.3)
    return token, wells


async def member_tokens(session, url: str, owner: str, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """One manager per user (invited, accepted, signed in): the gateway limits requests per principal, and a
    real office has one person per session."""
    gate = asyncio.Semaphore(8)

    async def one(n: int) -> str:
        async with gate:
            email = f"manager{n}-{uuid4().hex[:6]}@mesaload.com"
            status, body = await setup_call(
                session, "POST", f"{url}/api/v1/invitations", owner, json={"email": email, "role": "manager"}
            )
            assert status == 201, body
            invitation = json.loads(body)["token"]
            status, body = await setup_call(
                session,
                "POST",
                f"{url}/api/v1/invitations/accept",
                json={"token": invitation, "password": PASSWORD, "full_name": f"Manager {n}"},
            )
            assert status in (200, 201), body
            status, body = await setup_call(
                session, "POST", f"{url}/api/v1/auth/signin", json={"email": email, "password": PASSWORD}
            )
            assert status == 200, body
            return json.loads(body)["access_token"]

    return list(await asyncio.gather(*(one(n) for n in range(count))))


async def user_loop(session, url, token, well, stop_at, write_share, results, rng):  # type: ignore[no-untyped-def]
    day = date.today() - timedelta(days=1)
    month = day.replace(day=1)
    n = 0
    while time.perf_counter() < stop_at:
        if rng.random() < write_share:
            kind, method, path = "write reading", "POST", "/api/v1/readings"
            kwargs = {
                "json": {
                    "reading_id": str(uuid4()),
                    "well_id": well["well_id"],
                    "production_date": (day - timedelta(days=n)).isoformat(),
                    "oil_bbl": str(20 + n % 17),
                    "gas_mcf": "35.5",
                    "water_bbl": "6",
                    "hours_on": "24",
                }
            }
            n += 1
        else:
            kind, method, kwargs = "read", "GET", {}
            path = rng.choice(
                [
                    "/api/v1/wells?limit=50",
                    f"/api/v1/production/leases/{well['lease_id']}/monthly"
                    f"?from={(month - timedelta(days=365)).isoformat()}&to={month.isoformat()}",
                    f"/api/v1/readings?well_id={well['well_id']}&limit=30",
                    "/api/v1/form-pr",
                ]
            )
        started = time.perf_counter()
        try:
            status, _ = await call(session, method, f"{url}{path}", token, **kwargs)
        except aiohttp.ClientError as exc:
            status = f"{type(exc).__name__}"
        elapsed = (time.perf_counter() - started) * 1000
        results[kind].append((elapsed, status))


async def event_lag(admin_url: str, since: float) -> list[float]:
    """ms from production's outbox row to compliance's inbox row, per lease-month event of the run."""
    base = admin_url.rsplit("/", 1)[0]
    production = await asyncpg.connect(f"{base}/wellflow_production")
    compliance = await asyncpg.connect(f"{base}/wellflow_compliance")
    try:
        made = await production.fetch(
            "SELECT event_id, created_at FROM outbox WHERE event_type = 'production.lease_month_updated.v1'"
            " AND created_at >= to_timestamp($1)",
            since,
        )
        handled = await compliance.fetch(
            "SELECT event_id, min(processed_at) AS processed_at FROM inbox WHERE event_id = ANY($1::uuid[])"
            " GROUP BY event_id",
            [row["event_id"] for row in made],
        )
    finally:
        await production.close()
        await compliance.close()
    created = {row["event_id"]: row["created_at"] for row in made}
    return [(row["processed_at"] - created[row["event_id"]]).total_seconds() * 1000 for row in handled]


async def run(args: argparse.Namespace) -> None:
    home = Path(tempfile.mkdtemp(prefix="wellflow-bench-"))
    gateway_port = free_port()
    url = f"http://127.0.0.1:{gateway_port}"
    stack = start_stack(home, gateway_port)
    try:
        await wait_up(stack, home)
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
            owner, wells = await seed(session, url, args.users, args.leases)
            tokens = await member_tokens(session, url, owner, args.users)
            results: dict[str, list[tuple[float, object]]] = defaultdict(list)
            rng = random.Random(7)
            since = time.time()
            started = time.perf_counter()
            stop_at = started + args.duration
            await asyncio.gather(
                *(
                    user_loop(
                        session, url, token, well, stop_at, args.write_share, results, random.Random(rng.random())
                    )
                    for token, well in zip(tokens, wells, strict=True)
                )
            )
            elapsed = time.perf_counter() - started
        await asyncio.sleep(3)  # let the last events reach compliance
        state = json.loads((home / "state.json").read_text())
        lags = await event_lag(state["postgres"]["url"], since)
    finally:
        stack.send_signal(signal.SIGINT)
        try:
            stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            stack.kill()

    everything = [sample for samples in results.values() for sample in samples]
    print(f"whole stack, {args.users} users, {args.duration:.0f} s, write share {args.write_share:.0%}, 2 cores")
    for kind, samples in [*sorted(results.items()), ("all", everything)]:
        times = [t for t, _ in samples]
        errors = sum(1 for _, status in samples if not (isinstance(status, int) and status < 400))
        print(
            f"  {kind:14s} {len(samples) / elapsed:8.1f} req/s  p50 {percentile(times, 0.5):7.1f} ms"
            f"  p99 {percentile(times, 0.99):7.1f} ms  errors {errors}"
        )
    statuses = defaultdict(int)
    for _, status in everything:
        statuses[status] += 1
    print(f"  statuses: {dict(statuses)}")
    if lags:
        print(
            f"  event lag production commit -> compliance consumer: {len(lags)} events,"
            f" p50 {percentile(lags, 0.5):.1f} ms, p99 {percentile(lags, 0.99):.1f} ms"
        )
    print("  targets: p99 <= 150 ms, errors 0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--write-share", type=float, default=0.3)
    parser.add_argument("--leases", type=int, default=10)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
