"""A poison event: compliance's consumer fails on it every time, it lands in the dead letters without holding
back the events behind it, and after the fix a replay with ``wellflow-dead-letters`` applies it exactly once.

Compliance runs as its own process (as under ``wellflow up``) with a short retry policy. The events are
production's and wells' integration events, published to JetStream the way their outbox relays publish them.
The poison is a fault of compliance's own: a trigger on its ``lease_months`` table refuses one lease while that
lease is listed in a fault table, as a bug would until a fix is deployed. The fix is removing the row.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import asyncpg
import httpx
import nats
import nats.js.errors
import pytest
from e2e_waiting import tolerant
from faults_stack import JwksServer, Stack, compliance_lines, publish, publish_lease_and_well

from wellflow_contracts.events.production import LeaseMonthUpdated
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import dead_letter_subject, event_subject, stream_name
from wellflow_devstack.tokens import TokenMint
from wellflow_servicekit.testing import until

pytestmark = pytest.mark.integration

CONSUMER = "compliance-lease-month-updated"
MAX_DELIVER = 3

# What the bug does: compliance fails on every write of a listed lease's month (until the fix removes the row).
POISON_SQL = """
CREATE TABLE e2e_poisoned_leases (lease_id uuid PRIMARY KEY);
CREATE FUNCTION e2e_refuse_poisoned() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM e2e_poisoned_leases WHERE lease_id = NEW.lease_id) THEN
        RAISE EXCEPTION 'lease % cannot be reported (injected fault)', NEW.lease_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER e2e_refuse_poisoned BEFORE INSERT OR UPDATE ON lease_months
    FOR EACH ROW EXECUTE FUNCTION e2e_refuse_poisoned();
"""


@pytest.fixture
async def stack(infra, event_stream, service_database, tmp_path):
    root = await event_stream()
    stack = Stack(infra.nats_url, root, JwksServer(mint := TokenMint()), mint, tmp_path)
    try:
        await stack.add(
            "compliance",
            service_database,
            CONSUMER_MAX_DELIVER=str(MAX_DELIVER),
            CONSUMER_BACKOFF="0.5,1",
            SUBMISSION_WORKER_ENABLED="false",
        )
        yield stack
    finally:
        stack.stop_all()


def lease_month(org: UUID, lease_id: UUID, month: date, revision: int, oil: int, gas: int) -> LeaseMonthUpdated:
    return LeaseMonthUpdated(
        tenant_id=org,
        lease_id=lease_id,
        month=month,
        revision=revision,
        lease_type="oil",
        oil_bbl=Decimal(oil),
        condensate_bbl=Decimal(0),
        casinghead_gas_mcf=Decimal(gas),
        gas_well_gas_mcf=Decimal(0),
        water_bbl=Decimal(0),
        liquid_bbl=Decimal(oil),
        gas_mcf=Decimal(gas),
        production_days=30,
        oil_disposed_bbl=Decimal(0),
        gas_disposition_mismatch_mcf=Decimal(gas),
    )


def dead_letters_cli(stack: Stack, *args: str) -> str:
    """``wellflow-dead-letters`` in compliance's environment, as an operator runs it where the service runs."""
    env = {**os.environ, **stack.processes["compliance"].env}
    result = subprocess.run(
        [sys.executable, "-m", "wellflow_servicekit.dead_letters_cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


async def handled(stack: Stack, outcome: str) -> float:
    """compliance's ``consumer_handled_total`` for the lease-month consumer and one outcome."""
    async with httpx.AsyncClient(base_url=stack.url("compliance"), timeout=10) as client:
        text = (await client.get("/metrics")).text
    total = 0.0
    for line in text.splitlines():
        if line.startswith("consumer_handled_total{") and f'outcome="{outcome}"' in line and CONSUMER in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


async def test_a_poison_event_is_dead_lettered_without_blocking_others_and_replayed_once(stack: Stack):
    org = uuid4()
    month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    period = month.strftime("%Y-%m")
    owner = await asyncpg.connect(stack.databases["compliance"].owner_url.replace("+asyncpg", ""))
    try:
        await owner.execute(POISON_SQL)
        leases = [uuid7() for _ in range(4)]
        poisoned = leases[1]
        await owner.execute("INSERT INTO e2e_poisoned_leases VALUES ($1)", poisoned)

        nc = await nats.connect(stack.nats_url)
        try:
            for n, lease_id in enumerate(leases):
                await publish_lease_and_well(
                    nc,
                    stack.subject_root,
                    org,
                    lease_id,
                    name=f"Poison Test {n}",
                    rrc_lease_number=f"{31000 + n}",
                    api_number=f"4232931{n:03d}0000",
                )
            # First revisions of every lease (the poisoned one among them), then later revisions of the others.
            first = {
                lease_id: lease_month(org, lease_id, month, 1, 100 + n, 200 + n) for n, lease_id in enumerate(leases)
            }
            for event in first.values():
                await publish(nc, stack.subject_root, event)
            for n, lease_id in enumerate(leases):
                if lease_id != poisoned:
                    await publish(nc, stack.subject_root, lease_month(org, lease_id, month, 2, 500 + n, 900 + n))
        finally:
            await nc.close()

        async with httpx.AsyncClient(
            base_url=stack.url("compliance"), headers=stack.headers(org, "accountant"), timeout=30
        ) as compliance:

            async def others_applied() -> dict | None:
                lines = await compliance_lines(compliance, period)
                healthy = [
                    lines.get(str(lease_id), {}).get("source_revision") for lease_id in leases if lease_id != poisoned
                ]
                return lines if healthy == [2, 2, 2] else None

            lines = await until(
                tolerant(others_applied), 30, "the healthy leases' latest months in compliance", every=0.25
            )
            for n, lease_id in enumerate(leases):
                if lease_id != poisoned:
                    assert (lines[str(lease_id)]["liquid_production"], lines[str(lease_id)]["gas_production"]) == (
                        500 + n,
                        900 + n,
                    )

            async def lettered() -> str | None:
                listing = dead_letters_cli(stack, "list", "--consumer", CONSUMER)
                return listing if "no dead letters" not in listing else None

            listing = await until(tolerant(lettered), 30, "the poison event in compliance's dead letters", every=0.5)
            letters = re.findall(r"^([0-9a-f-]{36})\s", listing, flags=re.MULTILINE)
            assert len(letters) == 1, listing
            assert f"event {first[poisoned].event_id}" in listing
            assert f"{MAX_DELIVER} deliveries" in listing and "injected fault" in listing
            pending = (await compliance_lines(compliance, period)).get(str(poisoned))
            assert pending is None or pending["source_revision"] is None, pending
            applied_before = await handled(stack, "applied")

            # The fix is deployed; the operator replays the letter.
            await owner.execute("DELETE FROM e2e_poisoned_leases")
            assert "replayed" in dead_letters_cli(stack, "replay", letters[0])

            async def poisoned_applied() -> dict | None:
                line = (await compliance_lines(compliance, period)).get(str(poisoned))
                return line if line and line["source_revision"] == 1 else None

            line = await until(tolerant(poisoned_applied), 30, "the replayed event in compliance", every=0.25)
            assert (line["liquid_production"], line["gas_production"]) == (101, 201)
            assert dead_letters_cli(stack, "list", "--consumer", CONSUMER).strip() == "no dead letters"

            # A second replay (an operator's double click) is recognised by the inbox and applies nothing.
            duplicates_before = await handled(stack, "duplicate")
            dead_letters_cli(stack, "replay", letters[0])
            await until(
                tolerant(lambda: _more(stack, "duplicate", duplicates_before)),
                30,
                "the second replay to be seen as a duplicate",
                every=0.25,
            )
            assert await handled(stack, "applied") == applied_before + 1
            assert "replayed 2x" in dead_letters_cli(stack, "list", "--consumer", CONSUMER, "--all")

        inbox = await owner.fetchval(
            "SELECT count(*) FROM inbox WHERE event_id = $1 AND consumer LIKE $2",
            first[poisoned].event_id,
            f"{CONSUMER}%",
        )
        assert inbox == 1
    finally:
        await owner.close()


async def test_a_dead_letter_is_announced_on_its_dlq_subject(stack: Stack):
    """Outside tools watch ``<root>.dlq.>`` for new dead letters; an unreadable message goes
    straight to the dead letters and must be announced there (docs/platform.md, docs/operations.md)."""
    tenant = uuid4()
    nc = await nats.connect(stack.nats_url)
    try:
        js = nc.jetstream()
        await js.publish(
            event_subject(tenant, LeaseMonthUpdated.event_type(), stack.subject_root),
            b"{not json",
            headers={
                "ce-specversion": "1.0",
                "ce-type": LeaseMonthUpdated.event_type(),
                "ce-id": str(uuid4()),
                "ce-tenantid": str(tenant),
            },
            stream=stream_name(stack.subject_root),
        )

        async def lettered() -> str | None:
            listing = dead_letters_cli(stack, "list", "--consumer", CONSUMER)
            return listing if "no dead letters" not in listing else None

        listing = await until(tolerant(lettered), 30, "the unreadable message in the dead letters", every=0.5)
        assert "1 deliveries" in listing
        subject = dead_letter_subject("compliance", CONSUMER, stack.subject_root)

        async def announced() -> bool:
            try:
                await js.get_last_msg(stream_name(stack.subject_root), subject)
            except nats.js.errors.NotFoundError:
                return False
            return True

        await until(tolerant(announced), 5, f"the dead letter announced on {subject}", every=0.25)
    finally:
        await nc.close()


async def _more(stack: Stack, outcome: str, before: float) -> bool:
    await asyncio.sleep(0)
    return await handled(stack, outcome) > before
