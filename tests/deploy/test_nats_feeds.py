"""Durable feeds as deployed (deploy/nats/ with a tenants.conf from ``deploy_cli nats-tenant``): the
integrations service's NATS user makes an organization's feed consumer on the WELLFLOW_FEEDS mirror, and the
example subscriber (docs/examples/feed_subscriber.py), killed with SIGKILL mid-stream and started again,
ends with every event of its organization exactly once (after de-duplication by ce-id) and nothing of
another organization. The tenant may fetch from and acknowledge on its own feed only."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import nats
import pytest
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout

from wellflow_contracts import encode
from wellflow_contracts.envelope import source_for, to_headers
from wellflow_contracts.events.wells import WellStatusChanged
from wellflow_contracts.subjects import event_subject, feed_consumer
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.deploy_cli import nats_tenant_block
from wellflow_servicekit.testing import until

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "feed_subscriber.py"
STREAM = "WELLFLOW_EVENTS"


async def publish(js, organization: UUID, count: int, start: int = 0) -> list[str]:
    ids = []
    well = uuid4()
    for number in range(start, start + count):
        event = WellStatusChanged(
            tenant_id=organization,
            well_id=well,
            api_number="42-123-45678",
            lease_id=well,
            from_status=f"s{number}",
            to_status=f"s{number + 1}",
            effective_date=date(2026, 1, 1),
            changed_by="test",
        )
        headers = to_headers(event, source=source_for("wells"))
        await js.publish(event_subject(organization, event.type), encode(event), headers=headers, stream=STREAM)
        ids.append(str(event.event_id))
    return ids


def stored(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        try:
            return list(db.execute("SELECT ce_id, subject FROM events"))
        except sqlite3.OperationalError:
            return []


def start_subscriber(url: str, organization: UUID, store: Path, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(EXAMPLE), "--url", url, "--organization", str(organization), "--feed", "erp"]
    return subprocess.Popen(
        [*command, "--store", str(store), "--delay", "0.01"],
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
    )


@pytest.mark.timeout(120)
async def test_a_subscriber_killed_mid_stream_gets_every_event_once_and_no_other_organizations(
    start_deployed_nats, tmp_path
):
    from wellflow_integrations.adapters.nats_feeds import NatsFeedConsumers
    from wellflow_integrations.domain.feeds import StartPoint

    org_a, org_b = uuid4(), uuid4()
    server = start_deployed_nats(
        nats_tenant_block(org_a, label="erp", password="a-feed-password")
        + "\n"
        + nats_tenant_block(org_b, label="erp", password="b-feed-password")
    )
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    wells = await nats.connect(server.url("wells"), inbox_prefix="_INBOX_wells")
    integrations = await nats.connect(server.url("integrations"), inbox_prefix="_INBOX_integrations")
    try:
        feeds = NatsFeedConsumers(integrations.jetstream, "wellflow")
        await feeds.create(org_a, feed_consumer(org_a, "erp"), StartPoint("all"))
        await feeds.create(org_b, feed_consumer(org_b, "erp"), StartPoint("all"))

        js = wells.jetstream()
        expected = await publish(js, org_a, 150)
        await publish(js, org_b, 50)

        store, log = tmp_path / "erp.sqlite3", tmp_path / "subscriber.log"
        url_a = server.url(f"{org_a}-erp", "a-feed-password")
        first = start_subscriber(url_a, org_a, store, log)

        async def some_applied() -> bool:
            return len(stored(store)) >= 40

        await until(some_applied, 30, "the subscriber applies some events")
        first.send_signal(signal.SIGKILL)  # mid-stream: some applied, some fetched and unacknowledged
        first.wait(timeout=10)
        expected += await publish(js, org_a, 50, start=150)  # published while it is down

        # the next start finds the consumer where it was and the store as committed
        second = start_subscriber(url_a, org_a, store, log)
        try:

            async def all_applied() -> bool:
                return len(stored(store)) >= len(expected)

            await until(all_applied, 60, "every event of the organization applied", every=0.2)
            await asyncio.sleep(0.5)  # nothing more comes
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=10)

        rows = stored(store)
        assert sorted(ce_id for ce_id, _ in rows) == sorted(expected)  # each once, none missing
        assert all(subject.startswith(f"wellflow.evt.{org_a}.") for _, subject in rows)  # nothing of B
        state = await feeds.state(feed_consumer(org_a, "erp"))
        assert state is not None and state["pending"] == 0 and state["unacknowledged"] == 0

        # a replay from the start (what POST /api/v1/feeds/erp/replay does) delivers everything again:
        # the subscriber acknowledges each as a duplicate and applies nothing twice
        await feeds.delete(feed_consumer(org_a, "erp"))
        await feeds.create(org_a, feed_consumer(org_a, "erp"), StartPoint("sequence", sequence=1))
        log.write_text("")
        third = start_subscriber(url_a, org_a, store, log)
        try:

            async def all_seen_again() -> bool:
                return log.read_text().count('"new": false') >= len(expected)

            await until(all_seen_again, 60, "every event seen again as a duplicate", every=0.2)
        finally:
            third.send_signal(signal.SIGTERM)
            third.wait(timeout=10)
        assert '"new": true' not in log.read_text()
        assert sorted(ce_id for ce_id, _ in stored(store)) == sorted(expected)
    finally:
        await wells.close()
        await integrations.close()


async def test_a_tenant_reaches_only_its_own_feed(start_deployed_nats):
    from wellflow_integrations.adapters.nats_feeds import NatsFeedConsumers
    from wellflow_integrations.domain.feeds import StartPoint

    org_a, org_b = uuid4(), uuid4()
    server = start_deployed_nats(
        nats_tenant_block(org_a, label="erp", password="a-pw")
        + "\n"
        + nats_tenant_block(org_b, label="erp", password="b-pw")
    )
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    integrations = await nats.connect(server.url("integrations"), inbox_prefix="_INBOX_integrations")
    wells = await nats.connect(server.url("wells"), inbox_prefix="_INBOX_wells")
    errors: list[str] = []

    async def on_error(exc: Exception) -> None:
        errors.append(str(exc))

    tenant_a = await nats.connect(server.url(f"{org_a}-erp", "a-pw"), error_cb=on_error)
    try:
        feeds = NatsFeedConsumers(integrations.jetstream, "wellflow")
        await feeds.create(org_b, feed_consumer(org_b, "erp"), StartPoint("all"))
        await publish(wells.jetstream(), org_b, 3)
        js_a = tenant_a.jetstream(timeout=1)
        # B's feed is not importable by A: no responders, and a publish violation
        other = await js_a.pull_subscribe_bind(feed_consumer(org_b, "erp"), "WELLFLOW_FEEDS")
        with pytest.raises((NatsTimeout, NoRespondersError)):
            await other.fetch(1, timeout=1)
        # nor can A make, change or delete consumers
        with pytest.raises((NatsTimeout, NoRespondersError)):
            await js_a.delete_consumer("WELLFLOW_FEEDS", feed_consumer(org_b, "erp"))
        with pytest.raises((NatsTimeout, NoRespondersError)):
            await tenant_a.request("$JS.API.STREAM.INFO.WELLFLOW_FEEDS", b"", timeout=0.5)
        assert (await feeds.state(feed_consumer(org_b, "erp")))["pending"] == 3
        await asyncio.sleep(0.2)
        assert any("permissions violation" in e.lower() for e in errors)
        # the integrations user cannot delete the services' stream or its consumers
        with pytest.raises((NatsTimeout, NoRespondersError, Exception)):
            await integrations.jetstream(timeout=1).delete_stream("WELLFLOW_FEEDS")
    finally:
        for client in (integrations, wells, tenant_a):
            await client.close()
