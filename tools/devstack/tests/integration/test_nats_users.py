"""The dev stack's NATS runs with deploy/nats/accounts.conf: each service connects as its own user, nobody
connects anonymously, and `wellflow nats-tenant` lets an outside system of one organization read exactly that
organization's events."""

import asyncio
import io
import json
from pathlib import Path
from uuid import uuid4

import nats
import pytest
from nats.errors import Error as NatsError

from wellflow_devstack import control, nats_auth
from wellflow_devstack.discovery import discover_services
from wellflow_devstack.servers import EmbeddedNats, free_port
from wellflow_devstack.stack import StackConfig
from wellflow_servicekit.broker import ensure_stream, nats_connect_options

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[4]


def _config(home: Path, port: int) -> StackConfig:
    return StackConfig.from_env({"WELLFLOW_HOME": str(home), "WELLFLOW_NATS_PORT": str(port)}, root=ROOT)


async def _refused(url: str) -> bool:
    """True when the server turns the credentials away (nats-py keeps retrying, so we watch its errors)."""
    errors: list[Exception] = []

    async def record(error: Exception) -> None:
        errors.append(error)

    try:
        client = await asyncio.wait_for(
            nats.connect(**nats_connect_options(url), connect_timeout=2, max_reconnect_attempts=0, error_cb=record), 3
        )
    except (TimeoutError, NatsError, OSError):
        return any("authorization violation" in str(error).lower() for error in errors)
    await client.close()
    return False


async def test_services_connect_as_their_own_users_and_a_tenant_reads_only_its_events(scratch: Path) -> None:
    port = free_port()
    config = _config(scratch / "home", port)
    source = nats_auth.accounts_source(ROOT)
    assert source is not None
    users = nats_auth.users_in(source)
    declared = {spec.name for spec in discover_services(ROOT) if spec.events}  # every service with a database
    assert {"identity", "wells", "production", "compliance", "accounting"} <= declared
    assert {"admin", *declared} <= set(users)
    passwords = nats_auth.user_passwords(config, users)
    assert passwords == nats_auth.user_passwords(config, users)  # made once, kept in secrets.json
    assert json.loads(config.secrets_file.read_text())["nats"] == passwords
    server = EmbeddedNats(
        config.nats_dir,
        port,
        config_file=nats_auth.write_server_config(config, source, port),
        env=nats_auth.server_environment(passwords),
    )
    server.start()
    try:
        base = server.url
        assert await _refused(base)  # no anonymous clients
        assert await _refused(nats_auth.url_for(base, "wells", "not-the-password"))
        await ensure_stream(nats_auth.url_for(base, "admin", passwords["admin"]))

        org, other = uuid4(), uuid4()
        out = io.StringIO()
        config.home.mkdir(parents=True, exist_ok=True)
        (config.home / "state.json").write_text(json.dumps({"nats": {"embedded": True, "url": base, "port": port}}))
        assert control.nats_tenant(config, org, "erp", out=out) == 0
        tenant_url = out.getvalue().split("url:", 1)[1].split()[0]
        await asyncio.sleep(0.5)  # the server re-reads its configuration after SIGHUP

        tenant = await nats.connect(**nats_connect_options(tenant_url), max_reconnect_attempts=0)
        errors: list[Exception] = []

        async def record(error: Exception) -> None:
            errors.append(error)

        tenant._error_cb = record  # permission violations arrive asynchronously
        mine = await tenant.subscribe(f"wellflow.evt.{org}.>")
        await tenant.subscribe(f"wellflow.evt.{other}.>")
        await tenant.flush()

        wells = await nats.connect(**nats_connect_options(nats_auth.url_for(base, "wells", passwords["wells"])))
        await wells.publish(f"wellflow.evt.{org}.wells.lease_registered.v1", b"ours")
        await wells.publish(f"wellflow.evt.{other}.wells.lease_registered.v1", b"theirs")
        await wells.flush()
        message = await mine.next_msg(timeout=5)
        assert message.data == b"ours"
        with pytest.raises(nats.errors.TimeoutError):
            await mine.next_msg(timeout=0.5)
        await asyncio.sleep(0.3)
        assert any("permissions violation" in str(error).lower() for error in errors), errors
        await wells.close()
        await tenant.close()
    finally:
        server.stop()
