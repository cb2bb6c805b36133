"""The services' NATS users as deployed (deploy/nats/accounts.conf, generated from the code): each service TRIES
what the security review reproduced, and is refused: reading another service's events through a consumer of
its own (a new name, its own name with another filter, the legacy and unfiltered create forms), subscribing to
the shared ``_INBOX.>`` or another service's inboxes, deleting, fetching from or acking for another service's
consumer. And each service still does all it needs: publish its events, create every consumer it declares,
fetch and ack, request/reply through its own inbox prefix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from test_nats_tenant_permissions import STREAM, Client, _now

from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.settings import default_inbox_prefix
from wellflow_servicekit.testing import until

REPO = Path(__file__).resolve().parents[2]
REFUSED = (NatsTimeout, NoRespondersError)
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def declared() -> dict[str, dict[str, str]]:
    """Each service's durable consumers and their filter subjects, read from its app (what accounts.conf is
    generated from)."""
    result = subprocess.run(
        [sys.executable, "-m", "wellflow_devstack.nats_accounts", "-", "--durables"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=300,
    )
    return json.loads(result.stdout)


def test_accounts_conf_is_what_the_code_generates():
    """A consumer added to a service without regenerating would be refused at start-up in every deployment."""
    generated = subprocess.run(
        [sys.executable, "-m", "wellflow_devstack.nats_accounts", "-"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=300,
    ).stdout
    committed = (REPO / "deploy" / "nats" / "accounts.conf").read_text()
    assert committed == generated, "deploy/nats/accounts.conf is stale: run `make schemas`"


def _config(durable: str, subject: str) -> ConsumerConfig:
    """What servicekit's EventConsumers asks for."""
    return ConsumerConfig(
        name=durable,
        durable_name=durable,
        filter_subject=subject,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
    )


async def _service(server, name: str) -> Client:
    return await Client().connect(server.url(name), inbox_prefix=default_inbox_prefix(name))


async def _consumers(server) -> list[str]:
    admin = await Client().connect(server.url("admin"))
    try:
        return sorted(info.name for info in await admin.nc.jetstream().consumers_info(STREAM))
    finally:
        await admin.close()


async def test_a_service_cannot_read_another_services_events_through_a_consumer(start_deployed_nats):
    server = start_deployed_nats()
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    identity, production = await _service(server, "identity"), await _service(server, "production")
    try:
        # identity consumes nothing: no consumer at all, whatever its name or filter
        with pytest.raises(REFUSED):
            await identity.nc.jetstream(timeout=0.5).add_consumer(
                STREAM, _config("identity-spy", "wellflow.evt.*.compliance.>")
            )
        # production's own consumer name, another filter: the API subject carries the filter, so it is refused
        with pytest.raises(REFUSED):
            await production.nc.jetstream(timeout=0.5).add_consumer(
                STREAM, _config("production-lease-registered", "wellflow.evt.*.compliance.>")
            )
        request = json.dumps(
            {
                "stream_name": STREAM,
                "config": {
                    "durable_name": "production-lease-registered",
                    "filter_subject": "wellflow.evt.*.compliance.>",
                    "ack_policy": "explicit",
                    "deliver_policy": "all",
                },
            }
        ).encode()
        for subject in (
            f"$JS.API.CONSUMER.DURABLE.CREATE.{STREAM}.production-lease-registered",  # legacy: no filter in it
            f"$JS.API.CONSUMER.CREATE.{STREAM}.production-lease-registered",  # new form without the filter token
            f"$JS.API.CONSUMER.CREATE.{STREAM}",  # an ephemeral consumer
            f"$JS.API.CONSUMER.CREATE.{STREAM}.production-spy.wellflow.evt.*.compliance.>",
        ):
            with pytest.raises(REFUSED):
                await production.nc.request(subject, request, timeout=0.5)
        await until(_now(lambda: len(production.violations("Publish")) == 5), 3, "five refused creates", every=0.02)
        assert len(identity.violations("Publish")) == 1
        assert await _consumers(server) == []
    finally:
        await identity.close()
        await production.close()


async def test_a_service_reads_only_its_own_inbox(start_deployed_nats):
    server = start_deployed_nats()
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    wells, production = await _service(server, "wells"), await _service(server, "production")
    try:
        heard: list[str] = []

        async def listen(message) -> None:
            heard.append(message.subject)

        for subject in ("_INBOX.>", "_INBOX_production.>", ">", "$JS.API.>"):
            await wells.nc.subscribe(subject, cb=listen)
        await wells.nc.flush()
        await until(_now(lambda: len(wells.violations("Subscription")) == 4), 3, "four refusals", every=0.02)

        # production's request/reply works through its own prefix, and wells hears none of it
        info = await production.nc.request("$JS.API.INFO", b"", timeout=2)
        assert b"streams" in info.data
        assert info.subject.startswith("_INBOX_production.")
        assert heard == []

        # with nats-py's shared default prefix a service hears no replies at all
        shared = await Client().connect(server.url("production"))
        try:
            with pytest.raises(REFUSED):
                await shared.nc.request("$JS.API.INFO", b"", timeout=0.5)
            assert shared.violations("Subscription")
        finally:
            await shared.close()
    finally:
        await wells.close()
        await production.close()


async def test_a_service_cannot_delete_fetch_from_or_ack_for_another_services_consumer(start_deployed_nats):
    server = start_deployed_nats()
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    wells, production = await _service(server, "wells"), await _service(server, "production")
    durable, subject = "production-lease-registered", "wellflow.evt.*.wells.lease_registered.v1"
    try:
        pull = await production.nc.jetstream(timeout=2).pull_subscribe(
            subject, durable=durable, stream=STREAM, config=_config(durable, subject)
        )
        await wells.nc.jetstream(timeout=2).publish(subject.replace("*", str(uuid4())), b"{}", stream=STREAM)

        js_wells = wells.nc.jetstream(timeout=0.5)
        with pytest.raises(REFUSED):
            await js_wells.delete_consumer(STREAM, durable)
        with pytest.raises(REFUSED):
            await wells.nc.request(f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.{durable}", b'{"batch": 1}', timeout=0.5)
        await wells.nc.publish(f"$JS.ACK.{STREAM}.{durable}.1.1.1.1700000000000000000.0", b"+ACK")
        await wells.nc.flush()
        await until(_now(lambda: len(wells.violations("Publish")) == 3), 3, "three refusals", every=0.02)
        # no service deletes consumers, its own included: they outlive any one release
        with pytest.raises(REFUSED):
            await production.nc.jetstream(timeout=0.5).delete_consumer(STREAM, durable)

        assert await _consumers(server) == [durable]
        (message,) = await pull.fetch(batch=1, timeout=2)  # the event is still there for its consumer
        await message.ack_sync(timeout=2)
        info = await production.nc.jetstream(timeout=2).consumer_info(STREAM, durable)
        assert info.num_ack_pending == 0 and info.delivered.stream_seq == 1
    finally:
        await wells.close()
        await production.close()


async def test_every_service_runs_every_consumer_it_declares(start_deployed_nats, declared):
    server = start_deployed_nats()
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    assert {"identity", "wells", "production", "compliance", "accounting"} <= set(declared)
    clients = {name: await _service(server, name) for name in declared}
    tenant = str(uuid4())
    try:
        for name, client in clients.items():
            js = client.nc.jetstream(timeout=2)
            ack = await js.publish(f"wellflow.evt.{tenant}.{name}.probe_recorded.v1", b"{}", stream=STREAM)
            assert ack.stream == STREAM
            pulls = {
                durable: await js.pull_subscribe(
                    subject, durable=durable, stream=STREAM, config=_config(durable, subject)
                )
                for durable, subject in declared[name].items()
            }
            events = [(d, s) for d, s in declared[name].items() if ".evt." in s]
            if not events:
                continue
            durable, subject = events[0]
            if subject.endswith(".evt.>"):  # every service's events (integrations' webhooks)
                subject = "wellflow.evt.*.wells.lease_registered.v1"
            producer = subject.split(".")[3]
            await clients[producer].nc.jetstream(timeout=2).publish(subject.replace("*", tenant), b"{}", stream=STREAM)
            (message,) = await pulls[durable].fetch(batch=1, timeout=2)
            await message.ack_sync(timeout=2)
            # a dead letter's replay: published by the service itself, fetched by its replay consumer
            replay = f"{durable}-replay"
            await js.publish(declared[name][replay], b"{}", stream=STREAM)
            (message,) = await pulls[replay].fetch(batch=1, timeout=2)
            await message.ack_sync(timeout=2)
        for name, client in clients.items():
            assert client.errors == [], f"{name} was refused: {client.errors}"
        expected = sorted(durable for durables in declared.values() for durable in durables)
        assert await _consumers(server) == expected
    finally:
        for client in clients.values():
            await client.close()


async def test_a_real_service_reconnects_to_its_consumers_under_its_own_user(start_deployed_nats, declared):
    """servicekit's broker, as a service builds it (default inbox prefix), creates, fetches and acks."""
    from wellflow_servicekit.broker import create_broker

    server = start_deployed_nats()
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    broker = create_broker(server.url("compliance"), service="compliance")
    await broker.start()
    try:
        js = broker.config.connection_state.stream
        for durable, subject in declared["compliance"].items():
            await js.pull_subscribe(subject, durable=durable, stream=STREAM, config=_config(durable, subject))
        info = await js.consumer_info(STREAM, next(iter(declared["compliance"])))
        assert info.config.filter_subject == next(iter(declared["compliance"].values()))
    finally:
        await broker.stop()


async def test_every_service_follows_token_revocations_under_its_own_user(start_deployed_nats, declared):
    """servicekit's RevocationFeed (an ordered consumer per process) is allowed on identity's access_revoked
    events, and only there: it hears a revocation identity publishes."""
    from datetime import UTC, datetime

    from wellflow_contracts.envelope import encode, source_for, to_headers
    from wellflow_contracts.events.identity import AccessRevoked
    from wellflow_servicekit.broker import create_broker
    from wellflow_servicekit.revocation import RevocationFeed, RevocationList

    server = start_deployed_nats()
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    feeds = []
    try:
        for name in declared:
            broker = create_broker(server.url(name), service=name)
            await broker.start()
            revocations = RevocationList()
            feed = RevocationFeed(broker, revocations, subject_root="wellflow", retry_seconds=0.2)
            await feed.start()
            feeds.append((name, broker, feed, revocations))
        await until(_now(lambda: all(feed.subscribed for _, _, feed, _ in feeds)), 10, "every feed subscribed")
        event = AccessRevoked(
            tenant_id=uuid4(), subjects=[str(uuid4())], reason="member_deactivated", revoked_at=datetime.now(UTC)
        )
        identity = await _service(server, "identity")
        try:
            subject = f"wellflow.evt.{event.tenant_id}.identity.access_revoked.v1"
            headers = to_headers(event, source=source_for("identity"))
            await identity.nc.jetstream(timeout=2).publish(subject, encode(event), headers=headers)
        finally:
            await identity.close()
        await until(_now(lambda: all(feed.applied == 1 for _, _, feed, _ in feeds)), 10, "every service heard it")
    finally:
        for _, broker, feed, _ in feeds:
            await feed.stop()
            await broker.stop()
