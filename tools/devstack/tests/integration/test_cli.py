"""`wellflow up / status / down` as a person runs them: real processes in a scratch checkout."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from wellflow_devstack.servers import free_port

pytestmark = pytest.mark.integration

FAKE_APP = """
import os

import asyncpg
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

EXPECTED = ["SERVICE_NAME", "DATABASE_URL", "DATABASE_OWNER_URL", "NATS_URL"]
EXPECTED += ["JWT_ISSUER", "JWT_AUDIENCE", "HTTP_PORT"]


def create_app():
    async def ready(request):
        conn = await asyncpg.connect(os.environ["DATABASE_URL"].replace("+asyncpg", ""))
        try:
            tickets = await conn.fetchval("SELECT count(*) FROM run_ticket")
            user = await conn.fetchval("SELECT current_user")
        finally:
            await conn.close()
        env = {name: os.environ.get(name) for name in EXPECTED}
        return JSONResponse({"tickets": tickets, "user": user, "env": env})

    async def traced(request):
        # a span sent as a WellFlow service sends it: to OTEL_EXPORTER_OTLP_ENDPOINT, which `wellflow up` set
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor

        endpoint = os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] + "/v1/traces"
        provider = TracerProvider(resource=Resource.create({"service.name": "wellflow-tickets"}))
        provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        with provider.get_tracer("tickets").start_as_current_span("GET /traced") as span:
            with provider.get_tracer("tickets").start_as_current_span("count tickets"):
                pass
        provider.shutdown()
        return JSONResponse({"trace_id": format(span.get_span_context().trace_id, "032x"),
                             "delay": os.environ.get("OTEL_BSP_SCHEDULE_DELAY")})

    return Starlette(routes=[Route("/health/ready", ready), Route("/traced", traced)])
"""

ALEMBIC_ENV = """
import asyncio
import os

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine


def migrate(connection):
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()


async def main():
    engine = create_async_engine(os.environ["DATABASE_OWNER_URL"])
    async with engine.connect() as connection:
        await connection.run_sync(migrate)
        await connection.commit()
    await engine.dispose()


asyncio.run(main())
"""

REVISION = """
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.execute("CREATE TABLE run_ticket (id serial PRIMARY KEY, barrels numeric(12, 2) NOT NULL)")
    op.execute("INSERT INTO run_ticket (barrels) VALUES (180.25), (95.5)")


def downgrade():
    op.execute("DROP TABLE run_ticket")
"""


def make_checkout(root: Path, service_port: int | None) -> Path:
    (root / "pyproject.toml").write_text('[tool.uv.workspace]\nmembers = ["services/*"]\n')
    if service_port is not None:
        service = root / "services" / "tickets"
        (service / "src").mkdir(parents=True)
        (service / "migrations" / "versions").mkdir(parents=True)
        (service / "pyproject.toml").write_text(
            '[tool.wellflow.service]\nname = "tickets"\napp = "fake_tickets:create_app"\n'
            f'port = {service_port}\nmigrations = "."\n'
        )
        (service / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
        (service / "src" / "fake_tickets.py").write_text(FAKE_APP)
        (service / "migrations" / "env.py").write_text(ALEMBIC_ENV)
        (service / "migrations" / "versions" / "0001_run_ticket.py").write_text(REVISION)
    return root


class Stack:
    """A scratch checkout with its own WELLFLOW_HOME and ports, and the `wellflow` command run in it."""

    def __init__(self, scratch: Path, service_port: int | None) -> None:
        (scratch / "checkout").mkdir()
        self.checkout = make_checkout(scratch / "checkout", service_port)
        self.home = scratch / "home"
        self.pg_port, self.nats_port = free_port(), free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("WELLFLOW_", "OTEL_"))}
        self.env.update(
            WELLFLOW_HOME=str(self.home),
            WELLFLOW_PG_PORT=str(self.pg_port),
            WELLFLOW_NATS_PORT=str(self.nats_port),
            WELLFLOW_OTLP_PORT=str(free_port()),
            WELLFLOW_START_TIMEOUT="45",
        )
        self.up_process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []

    def command(self, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wellflow_devstack", *args],
            cwd=self.checkout,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def up(self, *args: str) -> str:
        """Start `wellflow up` and return its output up to the printed table."""
        self.output = []
        self.lines = queue.Queue()
        self.up_process = subprocess.Popen(
            [sys.executable, "-m", "wellflow_devstack", "up", *args],
            cwd=self.checkout,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._pump, args=(self.up_process, self.lines), daemon=True).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if line is None:
                break
            self.output.append(line)
            if line.startswith("Press Ctrl-C"):
                return "".join(self.output)
        self.stop_up(signal.SIGKILL)
        pytest.fail("wellflow up did not come up:\n" + "".join(self.output))

    @staticmethod
    def _pump(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    def rest_of_output(self) -> str:
        while True:
            line = self.lines.get(timeout=30)
            if line is None:
                return "".join(self.output)
            self.output.append(line)

    def stop_up(self, sig: int = signal.SIGINT) -> int:
        assert self.up_process is not None
        self.up_process.send_signal(sig)
        return self.up_process.wait(timeout=60)


@pytest.fixture
def stack_factory(scratch: Path, leftovers):
    stacks: list[Stack] = []

    def make(service_port: int | None = None) -> Stack:
        folder = scratch / f"stack{len(stacks)}"
        folder.mkdir()
        stack = Stack(folder, service_port)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        if stack.up_process is not None and stack.up_process.poll() is None:
            stack.stop_up(signal.SIGKILL)
        stack.command("down")
        assert leftovers(str(stack.home)) == []


def test_up_runs_a_service_on_its_runtime_role_and_ctrl_c_stops_everything(stack_factory, leftovers) -> None:
    service_port = free_port()
    stack = stack_factory(service_port)

    table = stack.up()

    assert "postgres" in table and f"postgresql://postgres@127.0.0.1:{stack.pg_port}/postgres" in table
    assert f"nats://127.0.0.1:{stack.nats_port}" in table
    assert f"http://127.0.0.1:{service_port}" in table and "ready" in table
    ready = httpx.get(f"http://127.0.0.1:{service_port}/health/ready").json()
    assert ready["user"] == "wellflow_tickets_app"  # not the owner, not a superuser
    assert ready["tickets"] == 2  # the migration ran, as the owner, and the runtime role may read it
    assert ready["env"]["SERVICE_NAME"] == "tickets"
    assert ready["env"]["NATS_URL"] == f"nats://127.0.0.1:{stack.nats_port}"
    assert ready["env"]["JWT_ISSUER"] == "wellflow-identity" and ready["env"]["JWT_AUDIENCE"] == "wellflow"
    assert ready["env"]["DATABASE_OWNER_URL"].startswith("postgresql+asyncpg://wellflow_tickets_owner:")
    assert (stack.home / "logs" / "tickets.log").is_file()
    assert oct((stack.home / "secrets.json").stat().st_mode & 0o777) == "0o600"

    status = stack.command("status")
    assert status.returncode == 0, status.stdout
    assert "tickets" in status.stdout and "stopped" not in status.stdout

    second = stack.command("up", timeout=30)
    assert second.returncode != 0
    assert "already running" in second.stderr

    assert stack.stop_up(signal.SIGINT) == 0
    assert "stopped" in stack.rest_of_output()
    assert leftovers(str(stack.home)) == []
    assert leftovers(f"--port {service_port}") == []

    status = stack.command("status")
    assert status.returncode == 1
    assert "running (pid" not in status.stdout


def test_up_receives_the_services_spans_and_wellflow_trace_shows_them(stack_factory) -> None:
    service_port = free_port()
    stack = stack_factory(service_port)
    otlp = f"http://127.0.0.1:{stack.env['WELLFLOW_OTLP_PORT']}"

    table = stack.up()
    answer = httpx.get(f"http://127.0.0.1:{service_port}/traced", timeout=30).json()
    status = stack.command("status")
    shown = stack.command("trace", answer["trace_id"])
    listed = stack.command("trace")

    assert otlp in table and "receiving OTLP" in table
    assert answer["delay"] == "500"  # batches every half second, so a request is there to read at once
    assert status.returncode == 0 and otlp in status.stdout, status.stdout
    assert shown.returncode == 0, shown.stderr
    assert "wellflow-tickets GET /traced (INTERNAL)" in shown.stdout
    assert "└─ wellflow-tickets count tickets (INTERNAL)" in shown.stdout
    assert answer["trace_id"] in listed.stdout
    assert (stack.home / "traces" / "spans.sqlite").is_file()
    assert stack.stop_up() == 0
    assert "stopping the trace receiver" in stack.rest_of_output()


def test_the_next_up_keeps_the_data_and_down_stops_it_from_another_terminal(stack_factory, leftovers) -> None:
    service_port = free_port()
    stack = stack_factory(service_port)
    stack.up()
    assert stack.stop_up() == 0
    secrets_before = (stack.home / "secrets.json").read_text()

    stack.up()
    ready = httpx.get(f"http://127.0.0.1:{service_port}/health/ready").json()
    down = stack.command("down")

    assert ready["tickets"] == 2  # the same database, migrated once
    assert (stack.home / "secrets.json").read_text() == secrets_before
    assert down.returncode == 0, down.stdout + down.stderr
    assert stack.up_process.wait(timeout=30) == 0
    assert leftovers(str(stack.home)) == []
    assert leftovers(f"--port {service_port}") == []
    assert "nothing was running" in stack.command("down").stdout


def test_without_services_up_still_runs_the_servers_and_says_so(stack_factory, leftovers) -> None:
    first = stack_factory(None)
    second = stack_factory(None)
    second.pg_port, second.nats_port = first.pg_port, first.nats_port  # two checkouts, the same ports
    second.env.update(WELLFLOW_PG_PORT=str(first.pg_port), WELLFLOW_NATS_PORT=str(first.nats_port))

    table = first.up("--demo")
    assert "No services are installed yet" in table
    assert "the gateway, which is not installed" in table
    assert first.stop_up(signal.SIGTERM) == 0

    table = second.up()  # one after the other: nothing of the first is in the way
    assert "No services are installed yet" in table
    assert second.stop_up() == 0
    assert leftovers(str(first.home)) == []
    assert leftovers(str(second.home)) == []
