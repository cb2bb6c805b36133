"""A production alert to a delivered email: p50, p99 and max from the event's publication to the mail's arrival at
an SMTP server, for the two people it goes to (the pumper and the manager). Target: p99 under 2 s.

    python bench/notifications_latency.py [--alerts 200] [--rate 10]

Provisions and migrates a notifications database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded
servers), runs the notifications app in this process with its durable consumers, delivery worker and SMTP sender,
and a local SMTP server (the dev stack's mail sink, a real SMTP conversation over TCP) that stamps each mail as it
arrives. An organization with an owner, a manager and a pumper is announced as identity would; then ``--alerts``
alert events are published on JetStream at ``--rate`` a second, as production's outbox does. Each becomes two
mails; latency is from the publish acknowledged by JetStream to the mail's last byte received.

Baseline, in the same run, on a second organization: the same path with the worker's PostgreSQL LISTEN wake-up
turned off, so deliveries wait for the polling round (DELIVERY_POLL_INTERVAL = 1 s): what the wake-up buys.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from datetime import date
from typing import Any
from uuid import UUID

import httpx

from _common import Signer, migrated_service, percentile
from wellflow_contracts import IntegrationEvent, encode
from wellflow_contracts.envelope import source_for, to_headers
from wellflow_contracts.events.identity import MemberJoined, OrganizationCreated
from wellflow_contracts.events.production import AlertRaised
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import event_subject, stream_name
from wellflow_devstack.mail_catcher import MailCatcher
from wellflow_notifications.adapters import worker
from wellflow_notifications.bootstrap import create_app
from wellflow_notifications.settings import NotificationsSettings
from wellflow_servicekit.runtime import run as run_loop


class StampingCatcher(MailCatcher):
    """The mail sink, noting when each message arrived (keyed by its subject's alert number)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[tuple[str, str], float] = {}

    async def _receive(self, reader: Any, say: Any) -> None:
        before = len(self.messages)
        await super()._receive(reader, say)
        now = time.time()
        for message in self.messages[before:]:
            self.arrived[(str(message["Subject"]).rsplit("#", 1)[-1], str(message["To"]))] = now


async def _announce(js: Any, root: str, org: UUID) -> None:
    owner = uuid7()
    events: list[IntegrationEvent] = [
        OrganizationCreated(tenant_id=org, organization_id=org, name="Bench Operating", created_by_user_id=owner)
    ]
    for user, role in ((owner, "owner"), (uuid7(), "manager"), (uuid7(), "pumper")):
        events.append(MemberJoined(tenant_id=org, user_id=user, role=role, email=f"{role}-{org}@bench.example.com"))
    for event in events:
        await _publish(js, root, event)


async def _publish(js: Any, root: str, event: IntegrationEvent) -> None:
    headers = to_headers(event, source=source_for(event.producer))
    await js.publish(
        event_subject(event.tenant_id, event.type, root), encode(event), headers=headers, stream=stream_name(root)
    )


async def _phase(
    client: httpx.AsyncClient, js: Any, root: str, mail: StampingCatcher, alerts: int, rate: float
) -> list[float]:
    org = uuid7()
    await _announce(js, root, org)
    database = client._transport.app.state.notifications.database  # type: ignore[attr-defined]
    for _ in range(200):  # the roster first: an alert before the members are known reaches nobody
        async with database.unit_of_work(org) as uow:
            if len(await uow.roster.members_in(frozenset({"owner", "manager", "pumper"}))) == 3:
                break
        await asyncio.sleep(0.05)
    sent: dict[str, float] = {}
    tag = org.hex[:8]
    for number in range(alerts):
        event = AlertRaised(
            tenant_id=org,
            alert_id=uuid7(),
            kind="zero_hours",
            day=date(2026, 12, 6),
            well_id=uuid7(),
            message=f"Bench well recorded 0 hours {tag}#{number}",
        )
        started = time.time()
        await _publish(js, root, event)
        sent[f"{number}"] = time.time()
        await asyncio.sleep(max(0.0, 1.0 / rate - (time.time() - started)))
    recipients = [f"{role}-{org}@bench.example.com" for role in ("manager", "pumper")]
    deadline = time.time() + 60
    while time.time() < deadline and not all((n, r) in mail.arrived for n in sent for r in recipients):
        await asyncio.sleep(0.1)
    latencies = [mail.arrived[(n, r)] - t for n, t in sent.items() for r in recipients if (n, r) in mail.arrived]
    missing = len(sent) * len(recipients) - len(latencies)
    if missing:
        print(f"  {missing} mails did not arrive within 60 s")
    return latencies


@contextlib.contextmanager
def _without_wake_up() -> Any:
    original = worker.listen_for_notifications

    async def nothing(dsn: str, channel: str, wake: asyncio.Event, stopping: asyncio.Event, **_: Any) -> None:
        await stopping.wait()

    worker.listen_for_notifications = nothing  # type: ignore[assignment]
    try:
        yield
    finally:
        worker.listen_for_notifications = original  # type: ignore[assignment]


async def _run(env: Any, mail: StampingCatcher, alerts: int, rate: float, *, wake: bool) -> list[float]:
    import nats

    settings = env.settings(
        NotificationsSettings,
        "notifications",
        smtp_host="127.0.0.1",
        smtp_port=mail.port,
        smtp_security="none",
        delivery_poll_interval=1.0,
        digest_interval=0,
        db_pool_size=8,
    )
    signer = Signer()
    with contextlib.nullcontext() if wake else _without_wake_up():
        app = create_app(settings, token_verifier=signer.verifier())
        transport = httpx.ASGITransport(app=app)
        connection = await nats.connect(env.nats_url)
        try:
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(transport=transport, base_url="http://n") as c,
            ):
                return await _phase(c, connection.jetstream(), env.root, mail, alerts, rate)
        finally:
            await connection.close()


def _report(label: str, latencies: list[float]) -> None:
    ms = [value * 1000 for value in latencies]
    print(
        f"  {label}: {len(ms)} mails  p50 {percentile(ms, 0.5):.0f} ms  p99 {percentile(ms, 0.99):.0f} ms"
        f"  max {max(ms):.0f} ms  mean {statistics.fmean(ms):.0f} ms"
    )


async def main(alerts: int, rate: float) -> None:
    async with migrated_service("notifications") as env, StampingCatcher() as mail:
        print(f"{alerts} alerts at {rate:g}/s, 2 mails each, over {env.where}")
        woken = await _run(env, mail, alerts, rate, wake=True)
        polled = await _run(env, mail, alerts, rate, wake=False)
    _report("with the LISTEN wake-up (as deployed)", woken)
    _report("baseline, polling every 1 s only    ", polled)
    p99 = percentile([v * 1000 for v in woken], 0.99)
    print(f"  target p99 < 2000 ms: {'met' if p99 < 2000 else 'NOT met'} ({p99:.0f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0)
    arguments = parser.parse_args()
    run_loop(main(arguments.alerts, arguments.rate))
