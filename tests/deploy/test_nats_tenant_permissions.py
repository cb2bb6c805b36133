"""NATS as deployed (deploy/nats/): an outside system of one organization receives that organization's
events and is refused every other subject; each service publishes only its own events, can run its
durable consumers, and cannot touch the stream. The server runs the real config files with a
tenants.conf made by ``deploy_cli nats-tenant``."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from uuid import UUID, uuid4

import nats
import pytest
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.deploy_cli import nats_tenant_block
from wellflow_servicekit.testing import until

STREAM = "WELLFLOW_EVENTS"


def _tenant_credential(organization: UUID, label: str = "erp") -> tuple[str, str]:
    """Run the documented command; return (tenants.conf block, the URL path user:password)."""
    result = subprocess.run(
        [sys.executable, "-m", "wellflow_servicekit.deploy_cli", "nats-tenant", str(organization), "--label", label],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "EVENT_SUBJECT_ROOT"},
    )
    block = result.stdout.split("# 2.")[0]
    userinfo = re.search(r"url:\s+(?:nats|tls)://([^@]+)@", result.stdout)
    assert userinfo, result.stdout
    return block, userinfo.group(1)


class Client:
    """A NATS connection that records the server's asynchronous errors (permission violations)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.nc: nats.NATS | None = None

    async def connect(self, url: str, **options: object) -> Client:
        async def on_error(exc: Exception) -> None:
            self.errors.append(str(exc))

        self.nc = await nats.connect(url, error_cb=on_error, max_reconnect_attempts=0, connect_timeout=3, **options)
        return self

    def violations(self, what: str) -> list[str]:
        return [e for e in self.errors if "permissions violation" in e.lower() and what.lower() in e.lower()]

    async def close(self) -> None:
        if self.nc is not None and not self.nc.is_closed:
            await self.nc.close()


def _now(check):
    """A plain condition as the awaitable check ``until`` calls."""

    async def answer():
        return check()

    return answer


def _subject(tenant: UUID, service: str = "wells", event: str = "well_registered") -> str:
    return f"wellflow.evt.{tenant}.{service}.{event}.v1"


async def test_tenant_subscriber_receives_its_events_and_is_refused_another_tenants(start_deployed_nats):
    tenant_a, tenant_b = uuid4(), uuid4()
    block_a, userinfo_a = _tenant_credential(tenant_a)
    block_b = nats_tenant_block(tenant_b, label="erp", password="b-secret-password")
    server = start_deployed_nats(block_a + "\n" + block_b)
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)

    wells = await Client().connect(server.url("wells"), inbox_prefix="_INBOX_wells")
    subscriber = await Client().connect(f"nats://{userinfo_a}@127.0.0.1:{server.port}")
    other = await Client().connect(server.url(f"{tenant_b}-erp", "b-secret-password"))
    try:
        received: list[str] = []
        await subscriber.nc.subscribe(f"wellflow.evt.{tenant_a}.>", cb=_collect(received))
        refused: list[str] = []
        await subscriber.nc.subscribe(f"wellflow.evt.{tenant_b}.>", cb=_collect(refused))
        await subscriber.nc.subscribe("wellflow.evt.>", cb=_collect(refused))
        await subscriber.nc.subscribe("wellflow.evt.*.wells.>", cb=_collect(refused))
        await subscriber.nc.flush()
        b_received: list[str] = []
        await other.nc.subscribe(f"wellflow.evt.{tenant_b}.>", cb=_collect(b_received))
        await other.nc.flush()

        js = wells.nc.jetstream()
        for tenant in (tenant_a, tenant_b, tenant_a):
            ack = await js.publish(_subject(tenant), b"{}", stream=STREAM)
            assert ack.stream == STREAM

        await until(
            _now(lambda: len(received) == 2 and len(b_received) == 1), 3, "both tenants' events heard", every=0.02
        )
        await asyncio.sleep(0.2)  # anything wrongly delivered would have arrived by now
        assert received == [_subject(tenant_a), _subject(tenant_a)]
        assert b_received == [_subject(tenant_b)]
        assert refused == []
        await until(
            _now(lambda: len(subscriber.violations("Subscription")) == 3),
            3,
            "three subscription violations",
            every=0.02,
        )
        assert any(str(tenant_b) in e for e in subscriber.violations("Subscription"))

        # it may publish nothing, not even on its own subjects
        await subscriber.nc.publish(_subject(tenant_a), b"forged")
        await subscriber.nc.flush()
        await until(_now(lambda: len(subscriber.violations("Publish")) == 1), 3, "one publish violation", every=0.02)
        assert received == [_subject(tenant_a), _subject(tenant_a)]

        # nor read the stream through the JetStream API (its account has none of WELLFLOW's)
        with pytest.raises((NoRespondersError, NatsTimeout)):
            await subscriber.nc.request(f"$JS.API.STREAM.INFO.{STREAM}", b"", timeout=0.5)
    finally:
        for client in (wells, subscriber, other):
            await client.close()


async def test_a_tenant_added_to_a_running_server_subscribes_after_a_reload(start_deployed_nats):
    server = start_deployed_nats()
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    tenant = uuid4()
    block, userinfo = _tenant_credential(tenant, label="warehouse")
    with pytest.raises(Exception, match=r"(?i)authorization"):
        await nats.connect(f"nats://{userinfo}@127.0.0.1:{server.port}", allow_reconnect=False)

    server.add_tenants(block)
    wells = await Client().connect(server.url("wells"), inbox_prefix="_INBOX_wells")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15
    try:
        # The reload takes effect within moments, the user first and the account's import of the events just
        # after it: until both are in, a connection is refused or its subscription hears nothing. Each try is a
        # new connection and subscription that must hear exactly the event published after it subscribed.
        while True:
            received: list[str] = []
            try:
                subscriber = await Client().connect(f"nats://{userinfo}@127.0.0.1:{server.port}")
            except Exception:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.2)
                continue
            try:
                await subscriber.nc.subscribe(f"wellflow.evt.{tenant}.>", cb=_collect(received))
                await subscriber.nc.flush()
                await wells.nc.jetstream().publish(_subject(tenant), b"{}", stream=STREAM)
                try:
                    await until(_now(lambda heard=received: bool(heard)), 1.0, "the event heard", every=0.02)
                except AssertionError:
                    if loop.time() > deadline:
                        raise
                    continue
                await asyncio.sleep(0.2)  # nothing more arrives
                assert received == [_subject(tenant)]
                break
            finally:
                await subscriber.close()
    finally:
        await wells.close()


async def test_wrong_password_is_refused(start_deployed_nats):
    tenant = uuid4()
    server = start_deployed_nats(nats_tenant_block(tenant, label="erp", password="right-password"))
    with pytest.raises(Exception, match=r"(?i)authorization"):
        await nats.connect(
            server.url(f"{tenant}-erp", "wrong-password"), max_reconnect_attempts=0, allow_reconnect=False
        )
    with pytest.raises(Exception, match=r"(?i)authorization"):
        await nats.connect(f"nats://127.0.0.1:{server.port}", max_reconnect_attempts=0, allow_reconnect=False)


async def test_services_publish_only_their_own_events_and_consume_durably(start_deployed_nats):
    server = start_deployed_nats()
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    tenant = uuid4()
    wells = await Client().connect(server.url("wells"), inbox_prefix="_INBOX_wells")
    production = await Client().connect(server.url("production"), inbox_prefix="_INBOX_production")
    try:
        js_wells = wells.nc.jetstream(timeout=1)
        await js_wells.publish(_subject(tenant), b'{"n": 1}', stream=STREAM)

        # another service's subjects are refused: no event can be forged in production's name
        with pytest.raises(NatsTimeout):
            await js_wells.publish(_subject(tenant, "production", "lease_month_updated"), b"{}", stream=STREAM)
        await until(_now(lambda: len(wells.violations("Publish")) == 1), 3, "one publish violation", every=0.02)

        # the stream is provisioned by the release job (admin), never changed by a service
        with pytest.raises((NatsTimeout, NoRespondersError)):
            await js_wells.delete_stream(STREAM)
        stream = await (await Client().connect(server.url("admin"))).nc.jetstream().stream_info(STREAM)
        assert stream.state.messages == 1

        # production consumes wells' events the way servicekit does: a durable pull consumer, explicit acks
        js_production = production.nc.jetstream(timeout=2)
        pull = await js_production.pull_subscribe(
            "wellflow.evt.*.wells.well_registered.v1",
            durable="production-well-registered",
            stream=STREAM,
            config=ConsumerConfig(
                durable_name="production-well-registered",
                filter_subject="wellflow.evt.*.wells.well_registered.v1",
                deliver_policy=DeliverPolicy.ALL,
                ack_policy=AckPolicy.EXPLICIT,
            ),
        )
        (message,) = await pull.fetch(batch=1, timeout=2)
        assert message.subject == _subject(tenant)
        await message.ack_sync(timeout=2)
        info = await js_production.consumer_info(STREAM, "production-well-registered")
        assert info.num_ack_pending == 0 and info.delivered.stream_seq == 1
        assert production.violations("") == [] and production.errors == []
    finally:
        await wells.close()
        await production.close()


def test_a_password_in_the_documented_form_is_safe_and_a_url_safe_token_is_not(tmp_path):
    """Why docs/deploy.md generates NATS passwords as a letter and hex digits."""
    from deploy_helpers import SERVICE_USERS, nats_environment, nats_password, render_nats_config

    from wellflow_devstack.servers import nats_server_binary

    config = render_nats_config(tmp_path, port=4999, http_port=4998, tenants="")
    env = nats_environment({user: nats_password("0123456789abcdef") for user in ("admin", *SERVICE_USERS)})
    ok = subprocess.run([str(nats_server_binary()), "-c", str(config), "-t"], env=env, capture_output=True)
    assert ok.returncode == 0, ok.stderr
    env["NATS_WELLS_PASSWORD"] = "7-kF3x_qv"  # what secrets.token_urlsafe can return
    broken = subprocess.run([str(nats_server_binary()), "-c", str(config), "-t"], env=env, capture_output=True)
    assert broken.returncode != 0


def test_the_server_refuses_to_start_without_every_password(tmp_path):
    from deploy_helpers import SERVICE_USERS, nats_environment, render_nats_config

    from wellflow_devstack.servers import nats_server_binary

    config = render_nats_config(tmp_path, port=4999, http_port=4998, tenants="")
    env = nats_environment({user: "pw" for user in ("admin", *SERVICE_USERS)})
    complete = subprocess.run([str(nats_server_binary()), "-c", str(config), "-t"], env=env, capture_output=True)
    assert complete.returncode == 0, complete.stderr
    del env["NATS_WELLS_PASSWORD"]
    missing = subprocess.run([str(nats_server_binary()), "-c", str(config), "-t"], env=env, capture_output=True)
    assert missing.returncode != 0
    assert b"NATS_WELLS_PASSWORD" in missing.stdout + missing.stderr


def _collect(target: list[str]):
    async def on_message(message) -> None:
        target.append(message.subject)

    return on_message


async def test_a_tenant_account_holds_no_more_connections_and_subscriptions_than_its_limits(start_deployed_nats):
    """One outside system cannot exhaust the servers: its account has connection and subscription limits."""
    tenant = uuid4()
    block = nats_tenant_block(tenant, label="erp", password="limits-password", max_connections=2, max_subscriptions=3)
    assert "limits: { max_connections: 2, max_subscriptions: 3" in block
    assert "limits: { max_connections: 5, max_subscriptions: 20" in nats_tenant_block(tenant, label="x", password="p")
    server = start_deployed_nats(block)
    url = server.url(f"{tenant}-erp", "limits-password")
    first, second = await Client().connect(url), await Client().connect(url)
    try:
        with pytest.raises(Exception, match=r"(?i)maximum account active connections"):
            third = await Client().connect(url, allow_reconnect=False)
            await third.close()
        for _ in range(3):
            await first.nc.subscribe(f"wellflow.evt.{tenant}.>")
        await first.nc.flush()
        await first.nc.subscribe(f"wellflow.evt.{tenant}.wells.>")
        # the server answers -ERR 'maximum subscriptions exceeded' (nats-py then closes the connection)
        await until(
            _now(lambda: "maximum subscriptions" in str(first.nc.last_error).lower()),
            3,
            "the fourth subscription refused",
            every=0.02,
        )
    finally:
        await first.close()
        await second.close()
