"""Two replicas of every service side by side on one database each (as deploy/ runs them): requests alternate
between them (a round-robin stands in for the load balancer), and both run their outbox relays, event consumers,
the submission worker and the deadline task. A burst of wells events and readings must be processed exactly once:
every outbox row published once, every event in the stream once, each consumer's inbox holding each event once,
compliance's and accounting's copies of each lease-month at production's revision, and the month's Form PR filed
with the RRC portal stand-in exactly once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import nats
import pytest
from e2e_waiting import NotYet
from prometheus_client.parser import text_string_to_metric_families

from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.testing import until

DAYS = 20
WELLS_PER_LEASE = 3
GAS_PRICE = Decimal("2.75")


@pytest.fixture
def replicas() -> int:
    return 2


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _owner_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _rows(database, sql: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(_owner_dsn(database.owner_url))
    try:
        return await connection.fetch(sql)
    finally:
        await connection.close()


async def _stream_event_ids(nats_url: str, root: str) -> Counter[str]:
    """How many times each event id (ce-id) is stored in the test's stream."""
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        info = await js.stream_info(stream_name(root))
        ids: Counter[str] = Counter()
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            message = await js.get_msg(stream_name(root), seq)
            ids[(message.headers or {})["ce-id"]] += 1
        return ids
    finally:
        await connection.close()


async def _counters(url: str) -> Counter[tuple[str, ...]]:
    """One replica's outbox and consumer counters: ("published",) and ("applied" or another outcome, consumer)."""
    async with httpx.AsyncClient(base_url=url) as client:
        text = (await client.get("/metrics")).text
    counts: Counter[tuple[str, ...]] = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "outbox_published_total":
                counts[("published",)] += int(sample.value)
            elif sample.name == "consumer_handled_total":
                counts[(sample.labels["outcome"], sample.labels["consumer"])] += int(sample.value)
    return counts


async def test_two_replicas_of_every_service_process_each_event_once(
    gateway: httpx.AsyncClient, sign_up, service_databases, e2e_stack, infra
):
    assert all(len(urls) == 2 for urls in e2e_stack["service_urls"].values())
    auth = _bearer((await sign_up("Twin Forks Operating"))["access_token"])
    month = (datetime.now(UTC).date().replace(day=1) - timedelta(days=1)).replace(day=1)
    period = f"{month:%Y-%m}"

    # a burst of wells events: leases, wells registered, then each well renamed
    leases, wells = [], {}
    for n in range(2):
        lease = await gateway.post(
            "/api/v1/leases",
            headers=auth,
            json={"name": f"Twin {n}", "rrc_district": "7C", "rrc_lease_number": f"5500{n}", "lease_type": "oil"},
        )
        assert lease.status_code == 201, lease.text
        leases.append(lease.json()["id"])

    async def register(lease_id: str, n: int) -> None:
        well = await gateway.post(
            "/api/v1/wells",
            headers=auth,
            json={
                "name": f"Twin {lease_id[-4:]} {n}",
                "api_number": f"42-383-{40000 + len(wells) * 10 + n:05d}",
                "lease_id": lease_id,
                "well_type": "oil",
                "purpose": "development",
                "status": "producing",
                "first_production_date": (month - timedelta(days=60)).isoformat(),
            },
        )
        assert well.status_code == 201, well.text
        wells[well.json()["id"]] = lease_id

    for lease_id in leases:
        await asyncio.gather(*(register(lease_id, n) for n in range(WELLS_PER_LEASE)))
    renamed = await asyncio.gather(
        *(
            gateway.patch(f"/api/v1/wells/{w}", headers=auth, json={"name": f"Twin well {i}"})
            for i, w in enumerate(wells)
        )
    )
    assert all(r.status_code == 200 for r in renamed), [r.text for r in renamed]

    # a burst of readings, spread over both production replicas, once production knows every well
    async def production_knows() -> Any:
        answers = [await gateway.get(f"/api/v1/production/wells/{w}/monthly", headers=auth) for w in wells]
        return True if all(a.status_code == 200 for a in answers) else NotYet([a.status_code for a in answers])

    await until(production_knows, 30, "production to learn every well", every=0.2)
    semaphore = asyncio.Semaphore(12)
    oil = {lease_id: Decimal(0) for lease_id in leases}
    gas = {lease_id: Decimal(0) for lease_id in leases}

    async def record(well_id: str, day: int, number: int) -> None:
        body = {
            "well_id": well_id,
            "production_date": (month + timedelta(days=day)).isoformat(),
            "oil_bbl": f"{10 + number % 7}.25",
            "gas_mcf": str(20 + number % 5),
            "water_bbl": "2",
            "hours_on": "24",
        }
        headers = {**auth, "Idempotency-Key": f"twin-{well_id}-{day}"}
        async with semaphore:
            if number % 5:
                answers = [await gateway.post("/api/v1/readings", headers=headers, json=body)]
            else:  # a phone's retry racing its first try: the round-robin sends the two to different replicas
                answers = await asyncio.gather(*(gateway.post("/api/v1/readings", headers=headers, json=body),) * 2)
        assert [a.status_code for a in answers] == [201] * len(answers), [a.text for a in answers]
        assert all(a.json() == answers[0].json() for a in answers)
        oil[wells[well_id]] += Decimal(body["oil_bbl"])
        gas[wells[well_id]] += Decimal(body["gas_mcf"])

    await asyncio.gather(*(record(w, day, i * DAYS + day) for i, w in enumerate(wells) for day in range(DAYS)))
    for lease_id in leases:  # all the casinghead gas to a transmission line, so the Form PR balances
        disposition = await gateway.post(
            "/api/v1/production/gas-dispositions",
            headers=auth,
            json={"lease_id": lease_id, "month": month.isoformat(), "code": "02", "mcf": str(gas[lease_id])},
        )
        assert disposition.status_code == 201, disposition.text

    # production's lease-months: the readings' totals, each at some revision
    revisions = {}
    for lease_id in leases:
        picture = await gateway.get(f"/api/v1/production/leases/{lease_id}/months/{month.isoformat()}", headers=auth)
        assert picture.status_code == 200, picture.text
        assert Decimal(str(picture.json()["oil_bbl"])) == oil[lease_id]
        revisions[lease_id] = picture.json()["revision"]
    assert all(r >= WELLS_PER_LEASE * DAYS for r in revisions.values()), revisions

    # compliance holds each lease-month at production's revision, with its figures
    async def compliance_caught_up() -> Any:
        report = await gateway.get(f"/api/v1/form-pr/{period}", headers=auth)
        if report.status_code != 200:
            return NotYet(report.text)
        seen = {line["lease_id"]: line["source_revision"] for line in report.json()["lines"]}
        return report.json() if seen == revisions else NotYet(seen)

    report = await until(compliance_caught_up, 30, "compliance's Form PR lines at production's revisions", every=0.2)
    for line in report["lines"]:
        assert line["liquid_production"] == int(oil[line["lease_id"]].quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert line["gas_production"] == int(gas[line["lease_id"]])
    assert report["ready_to_submit"], report["errors"]

    # accounting values each lease's gas at production's revision
    owners = []
    for name, roles in (("Twin Forks Operating", ["working_interest_partner"]), ("Ada Whitfield", ["royalty_owner"])):
        body = {"id": str(uuid4()), "name": name, "kind": "company", "roles": roles, "state": "TX"}
        partner = await gateway.post("/api/v1/partners", headers=auth, json=body)
        assert partner.status_code == 201, partner.text
        again = await gateway.post("/api/v1/partners", headers=auth, json=body)  # the retry lands on the other replica
        assert again.status_code == 200 and again.json()["id"] == body["id"], again.text
        owners.append(body["id"])
    listed = await gateway.get("/api/v1/partners", headers=auth)
    assert listed.json()["total"] == 2, listed.text
    for lease_id in leases:
        deck = await gateway.post(
            "/api/v1/ownership-decks",
            headers=auth,
            json={
                "lease_id": lease_id,
                "kind": "revenue",
                "effective_from": month.isoformat(),
                "lines": [
                    {"partner_id": owners[0], "interest_type": "working_interest", "decimal": "0.875"},
                    {"partner_id": owners[1], "interest_type": "royalty", "decimal": "0.125"},
                ],
            },
        )
        assert deck.status_code == 201, deck.text
    price = await gateway.put(
        "/api/v1/prices", headers=auth, json={"month": month.isoformat(), "product": "gas", "price": str(GAS_PRICE)}
    )
    assert price.status_code == 200, price.text

    async def accounting_caught_up() -> Any:
        run = await gateway.post("/api/v1/revenue/runs", headers=auth, json={"month": month.isoformat()})
        assert run.status_code == 201, run.text
        sales = {s["lease_id"]: (s["revision"], Decimal(str(s["volume"]))) for s in run.json()["sales"]}
        wanted = {lease_id: (revisions[lease_id], gas[lease_id]) for lease_id in leases}
        return run.json() if sales == wanted else NotYet((sales, run.json()["warnings"][:4]))

    await until(accounting_caught_up, 30, "accounting's lease-months at production's revisions", every=0.2)

    # the Form PR, submitted through one replica, filed exactly once by the two submission workers
    # (twice at once, so each replica gets one: one queues version 1, the other answers that same version)
    submits = await asyncio.gather(*(gateway.post(f"/api/v1/form-pr/{period}/submit", headers=auth) for _ in range(2)))
    assert sorted(r.status_code for r in submits) == [200, 202], [r.text for r in submits]
    assert {r.json()["version"] for r in submits} == {1}

    async def decided() -> Any:
        body = (await gateway.get(f"/api/v1/form-pr/{period}", headers=auth)).json()
        return body if body["state"] in ("accepted", "rejected") else NotYet(body["state"])

    assert (await until(decided, 30, "the portal's answer", every=0.2))["state"] == "accepted"
    async with httpx.AsyncClient(base_url=e2e_stack["rrc_portal_url"]) as portal:
        calls = (await portal.get("/admin/calls")).json()
        filings = (await portal.get("/admin/filings")).json()
    assert calls["total"] == 1, calls
    assert filings["count"] == 1, filings

    # every outbox row published, and each event id exactly once in the stream
    async def all_published() -> Any:
        pending = {
            name: (await _rows(db, "select count(*) as n from outbox where published_at is null"))[0]["n"]
            for name, db in service_databases.items()
        }
        return True if not any(pending.values()) else NotYet(pending)

    await until(all_published, 30, "every outbox drained", every=0.2)
    outbox: dict[str, list[asyncpg.Record]] = {
        name: await _rows(db, "select event_id, event_type from outbox") for name, db in service_databases.items()
    }
    in_stream = await _stream_event_ids(infra.nats_url, e2e_stack["subject_root"])
    published = Counter(str(row["event_id"]) for rows in outbox.values() for row in rows)
    assert published and max(published.values()) == 1
    assert set(in_stream) == set(published), set(in_stream) ^ set(published)
    assert max(in_stream.values()) == 1, [k for k, v in in_stream.items() if v > 1]

    # each consumer holds each event it handled once (the inbox's key), and none is missing: compliance and
    # accounting each applied every lease-month update production published
    month_updates = {
        str(r["event_id"]) for r in outbox["production"] if r["event_type"] == "production.lease_month_updated.v1"
    }
    assert len(month_updates) >= sum(revisions.values())
    for name in ("compliance", "accounting"):
        inbox = await _rows(service_databases[name], "select consumer, event_id::text as event_id from inbox")
        assert len(inbox) == len({(r["consumer"], r["event_id"]) for r in inbox})
        handled = Counter(r["event_id"] for r in inbox if r["event_id"] in month_updates)
        assert set(handled) == month_updates, f"{name} missed {len(month_updates - set(handled))} updates"
        assert set(handled.values()) == {1}, f"{name} handled an update twice"
        dead = await _rows(service_databases[name], "select count(*) as n from dead_letters")
        assert dead[0]["n"] == 0

    # the replicas' own counters: each outbox row was published by one relay of one replica, once; each inbox
    # row was applied by one consumer of one replica, once, or recorded once as coalesced into a newer revision of
    # its lease-month applied in the same transaction
    for name, db in service_databases.items():
        per_replica = [await _counters(url) for url in e2e_stack["service_urls"][name]]
        total = sum(per_replica, Counter())
        assert total[("published",)] == len(outbox[name]), (name, [c[("published",)] for c in per_replica])
        inbox = Counter(r["consumer"] for r in await _rows(db, "select consumer from inbox"))
        applied = Counter()
        for key, n in total.items():
            if key[0] in ("applied", "coalesced"):
                applied[key[1]] += n
        assert applied == inbox, (name, applied, inbox)


async def test_a_create_retried_while_the_first_is_in_flight_answers_the_first_result(
    gateway: httpx.AsyncClient, sign_up
):
    auth = _bearer((await sign_up("Twin Forks Operating"))["access_token"])
    body = {"id": str(uuid4()), "name": "Ada Whitfield", "kind": "individual", "roles": ["royalty_owner"]}
    answers = await asyncio.gather(*(gateway.post("/api/v1/partners", headers=auth, json=body) for _ in range(6)))
    assert {a.status_code for a in answers} <= {200, 201}, [a.text[:300] for a in answers if a.status_code >= 300]
    assert {a.json()["id"] for a in answers} == {body["id"]}
    listed = await gateway.get("/api/v1/partners", headers=auth)
    assert listed.json()["total"] == 1
