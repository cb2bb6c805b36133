"""What the whole-stack benchmarks share (system_mixed_load.py, capacity.py): a fresh `wellflow up` in a temporary
home, waiting for it, stopping it (PostgreSQL and NATS included), requests through the gateway that wait out its
rate limits while seeding, an operator with leases and wells, its member users, and the event lag from
production's commit to compliance's consumer read from the outbox and the inbox."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit
from uuid import uuid4

import asyncpg

from wellflow_devstack.dev_mailbox import wait_for_link
from wellflow_devstack.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"


class Stack:
    """`wellflow up` in a temporary home: embedded PostgreSQL and NATS on free ports, every service as its own
    process, exactly as a developer runs it (the services' own ports must be free: stop a running `make up`)."""

    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="wellflow-bench-"))
        self.gateway_port = free_port()
        self.url = f"http://127.0.0.1:{self.gateway_port}"
        self.env = {
            **os.environ,
            "WELLFLOW_HOME": str(self.home),
            "WELLFLOW_PG_PORT": str(free_port()),
            "WELLFLOW_NATS_PORT": str(free_port()),
            "WELLFLOW_OTLP_PORT": str(free_port()),
        }
        self.env.pop("WELLFLOW_DATABASE_URL", None)
        self.env.pop("WELLFLOW_NATS_URL", None)
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.home / "up.log", "wb")  # noqa: SIM115 - kept open for the child's lifetime
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "wellflow_devstack", "up", "--gateway-port", str(self.gateway_port)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    async def wait_up(self, timeout: float = 300) -> None:
        """Until `wellflow up` says every service answered /health/ready (it prints "Press Ctrl-C" then)."""
        assert self.popen is not None
        deadline = time.monotonic() + timeout
        log = self.home / "up.log"
        while time.monotonic() < deadline:
            text = log.read_text(errors="replace") if log.exists() else ""
            if self.popen.poll() is not None:
                raise SystemExit(f"wellflow up exited:\n{text[-3000:]}")
            if "Press Ctrl-C" in text:
                return
            await asyncio.sleep(0.5)
        raise SystemExit("the stack did not come up in time")

    @property
    def mailbox(self) -> Path:
        """Where the stack's dev mailbox keeps the mail it caught (invitations)."""
        return self.home / "mail"

    def state(self) -> dict[str, Any]:
        return json.loads((self.home / "state.json").read_text())

    def admin_url(self) -> str:
        """The embedded PostgreSQL's superuser URL with its password (state.json records it without)."""
        password = json.loads((self.home / "secrets.json").read_text())["postgres"]["superuser_password"]
        return self.state()["postgres"]["url"].replace("postgres@", f"postgres:{quote(password, safe='')}@", 1)

    def root_pids(self) -> dict[str, int]:
        """The processes the stack's process tree hangs from: the supervisor (services are its children), the
        postmaster (pg_ctl detaches it) and nats-server."""
        state = self.state()
        roots = {"supervisor": self.popen.pid if self.popen else 0}
        for name in ("postgres", "nats"):
            pid = (state.get(name) or {}).get("pid")
            if pid:
                roots[name] = int(pid)
        return {name: pid for name, pid in roots.items() if pid}

    def stop(self) -> None:
        """SIGINT to `wellflow up` (it stops the services, PostgreSQL and NATS); `wellflow down` if anything of
        this home still runs after that. The home is removed then, unless WELLFLOW_BENCH_KEEP_HOME is set."""
        if self.popen is None:
            return
        servers = {}
        with contextlib.suppress(OSError, ValueError, KeyError):
            servers = self.root_pids()
        self.popen.send_signal(signal.SIGINT)
        try:
            self.popen.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.popen.kill()
        left = [pid for name, pid in servers.items() if name != "supervisor" and _alive(pid)]
        if left:
            subprocess.run(
                [sys.executable, "-m", "wellflow_devstack", "down"], cwd=ROOT, env=self.env, check=False, timeout=120
            )
        if os.environ.get("WELLFLOW_BENCH_KEEP_HOME") or any(_alive(pid) for pid in servers.values()):
            print(f"the stack's home (data and logs) is kept in {self.home}")
        else:
            shutil.rmtree(self.home, ignore_errors=True)  # a few hundred MB of PostgreSQL data per run


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


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


@dataclass
class Organization:
    owner: str
    wells: list[dict[str, str]]
    leases: list[str]
    members: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


async def seed(session, url: str, wells: int, leases: int, *, number: int = 0) -> Organization:  # type: ignore[no-untyped-def]
    """An operator signed up with ``leases`` leases and ``wells`` wells spread over them; returns once production
    knows every well (it learns of them through NATS). ``number`` keeps API numbers apart between operators."""
    status, body = await setup_call(
        session,
        "POST",
        f"{url}/api/v1/auth/signup",
        json={
            "organization": {"name": f"Mesa Load {uuid4().hex[:6]}", "rrc_operator_number": f"{123456 + number}"},
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
            json={
                "name": f"Mesa {n}",
                "rrc_district": "08",
                "rrc_lease_number": f"{40000 + number * 100 + n}",
                "lease_type": "oil",
            },
        )
        assert status == 201, body
        lease_ids.append(json.loads(body)["id"])
    made = []
    for n in range(wells):
        lease = lease_ids[n % leases]
        status, body = await setup_call(
            session,
            "POST",
            f"{url}/api/v1/wells",
            token,
            json={
                "name": f"Mesa {n}H",
                "api_number": f"42-329-{30000 + number * 1000 + n:05d}",
                "lease_id": lease,
                "well_type": "oil",
                "purpose": "development",
                "status": "producing",
            },
        )
        assert status == 201, body
        made.append({"well_id": json.loads(body)["id"], "lease_id": lease})
    # production learns of wells through NATS: wait until it accepts a reading for the first and the last one
    probe_day = (date.today() - timedelta(days=3000)).isoformat()
    deadline = time.monotonic() + 60
    for well in (made[0], made[-1]):
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
    return Organization(owner=token, wells=made, leases=lease_ids)


async def add_members(session, url: str, org: Organization, count: int, mailbox: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """``count`` managers (invited, accepted, signed in) added to ``org.members``/``org.emails``: the gateway
    limits requests per principal, and a real office has one person per session. The invitation's token is in
    the answer, or (the stack mails invitations) in the dev mailbox folder ``mailbox``."""
    gate = asyncio.Semaphore(8)

    async def one(n: int) -> tuple[str, str]:
        async with gate:
            email = f"manager{n}-{uuid4().hex[:6]}@mesaload.com"
            status, body = await setup_call(
                session, "POST", f"{url}/api/v1/invitations", org.owner, json={"email": email, "role": "manager"}
            )
            assert status == 201, body
            invitation = json.loads(body).get("token")
            if not invitation:
                link = await asyncio.to_thread(wait_for_link, mailbox, email)
                invitation = parse_qs(urlsplit(link).fragment.split("?", 1)[1])["token"][0]
            status, body = await setup_call(
                session,
                "POST",
                f"{url}/api/v1/invitations/accept",
                json={"token": invitation, "password": PASSWORD, "full_name": f"Manager {n}"},
            )
            assert status in (200, 201), body
            return email, await sign_in(session, url, email)

    made = await asyncio.gather(*(one(n) for n in range(count)))
    org.emails += [email for email, _ in made]
    org.members += [token for _, token in made]
    return [token for _, token in made]


async def sign_in(session, url: str, email: str) -> str:  # type: ignore[no-untyped-def]
    status, body = await setup_call(
        session, "POST", f"{url}/api/v1/auth/signin", json={"email": email, "password": PASSWORD}
    )
    assert status == 200, body
    return json.loads(body)["access_token"]


async def event_lags(admin_url: str, since: float) -> list[tuple[float, float | None]]:
    """Per ``production.lease_month_updated.v1`` committed since ``since`` (epoch s): its outbox ``created_at``
    (the writing transaction's start, epoch s) and the ms until compliance's inbox ``processed_at`` for that
    event id (None: not handled yet)."""
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
    done = {row["event_id"]: row["processed_at"] for row in handled}
    lags: list[tuple[float, float | None]] = []
    for row in made:
        processed = done.get(row["event_id"])
        lag = None if processed is None else (processed - row["created_at"]).total_seconds() * 1000
        lags.append((row["created_at"].timestamp(), lag))
    return lags
