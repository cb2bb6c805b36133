"""Lease-month rollups against a direct recomputation, tank gauges, run tickets, gas dispositions, series."""

from __future__ import annotations

import asyncio
import random
from datetime import date
from decimal import Decimal

RECOMPUTE = """
SELECT r.lease_id, date_trunc('month', r.production_date)::date AS month, sum(r.oil_bbl) AS oil,
       sum(r.gas_mcf) AS gas, sum(r.water_bbl) AS water, count(*) AS n,
       count(DISTINCT r.production_date) FILTER (WHERE r.hours_on > 0 OR r.oil_bbl > 0 OR r.gas_mcf > 0) AS days
  FROM readings r GROUP BY 1, 2
"""


async def assert_rollups_match_readings(prod) -> int:
    expected = {
        (row["lease_id"], row["month"]): (row["oil"], row["gas"], row["water"], row["n"], row["days"])
        for row in await prod.tenant_query(RECOMPUTE)
    }
    stored = {
        (row["lease_id"], row["month"]): (
            row["liquid_bbl"],
            row["gas_mcf"],
            row["water_bbl"],
            row["reading_count"],
            row["production_days"],
        )
        for row in await prod.tenant_query("SELECT * FROM lease_months")
        if row["reading_count"] > 0
    }
    assert stored == expected
    return len(expected)


async def test_rollups_equal_a_recomputation_after_a_random_sequence_of_inserts_corrections_and_deletes(prod):
    rng = random.Random(20261125)
    sites = [await prod.site(wells=3), await prod.site(wells=2, lease_type="gas")]
    wells = [(site, well) for site in sites for well in site.well_ids]
    live: dict[str, dict] = {}
    days = [date(2026, 8, d) for d in range(25, 32)] + [date(2026, 9, d) for d in range(1, 6)]
    for step in range(90):
        action = rng.random()
        if action < 0.55 or not live:
            _site, well = rng.choice(wells)
            day = rng.choice(days)
            answer = await prod.reading(
                well,
                day,
                oil_bbl=f"{rng.randint(0, 9000) / 100}",
                gas_mcf=f"{rng.randint(0, 30000) / 100}",
                water_bbl=str(rng.randint(0, 50)),
                hours_on=str(rng.choice([24, 24, 12])),
                downtime_reason="weather",
            )
            assert answer.status_code in (201, 409), answer.text
            if answer.status_code == 201:
                live[answer.json()["reading_id"]] = answer.json()
        elif action < 0.85:
            reading_id = rng.choice(sorted(live))
            current = live[reading_id]
            answer = await prod.patch(
                f"/api/v1/readings/{reading_id}",
                {"oil_bbl": f"{rng.randint(0, 9000) / 100}", "hours_on": "24", "reason": f"step {step}"},
                **{"If-Match": f'"{current["version"]}"'},
            )
            assert answer.status_code in (200, 422), answer.text
            if answer.status_code == 200:
                live[reading_id] = answer.json()
        else:
            reading_id = rng.choice(sorted(live))
            answer = await prod.delete(f"/api/v1/readings/{reading_id}", reason=f"step {step}")
            assert answer.status_code == 204
            del live[reading_id]
        if step % 15 == 14:
            await assert_rollups_match_readings(prod)
    assert await assert_rollups_match_readings(prod) >= 3
    gas_lease = (await prod.tenant_query("SELECT * FROM lease_months WHERE lease_id = :l", l=sites[1].lease_id))[0]
    assert gas_lease["oil_bbl"] == 0 and gas_lease["condensate_bbl"] == gas_lease["liquid_bbl"]
    assert gas_lease["casinghead_gas_mcf"] == 0 and gas_lease["gas_well_gas_mcf"] == gas_lease["gas_mcf"]


async def test_concurrent_writers_on_one_lease_month_leave_the_rollup_exact(prod):
    site = await prod.site(wells=4)
    answers = await asyncio.gather(
        *(prod.reading(well, date(2026, 7, day), oil_bbl=f"{day}.5") for well in site.well_ids for day in range(1, 11))
    )
    assert {a.status_code for a in answers} == {201}
    await assert_rollups_match_readings(prod)
    row = (await prod.tenant_query("SELECT * FROM lease_months"))[0]
    assert row["oil_bbl"] == sum(Decimal(f"{d}.5") for d in range(1, 11)) * 4
    assert row["revision"] == 40
    events = await prod.outbox("production.lease_month_updated.v1")
    assert sorted(e["revision"] for e in events) == list(range(1, 41))
    last = max(events, key=lambda e: e["revision"])
    assert Decimal(last["oil_bbl"]) == row["oil_bbl"] and len(last["wells"]) == 4


async def test_gauges_and_run_tickets_give_stock_dispositions_and_a_ticket_event(prod):
    site = await prod.site()
    tank = str(site.tank_ids[0])
    # 1.67 bbl per inch: 10 ft = 120 in = 200.40 bbl
    first = await prod.post(
        "/api/v1/tank-gauges",
        {"tank_id": tank, "gauged_at": "2026-08-31T07:00:00-05:00", "feet": 10, "inches": 0},
        role="pumper",
    )
    assert first.status_code == 201, first.text
    assert first.json()["barrels"] == "200.400"
    ticket = {
        "ticket_number": "A-1001",
        "purchaser": "Plains",
        "tank_id": tank,
        "taken_at": "2026-09-10T10:00:00-05:00",
        "opening_gauge": {"feet": 15, "inches": 0},
        "closing_gauge": {"feet": 5, "inches": 0},
        "observed_gravity_api": "40.0",
        "observed_temperature_f": "60",
        "bsw_percent": "0.5",
        "seal_numbers": ["S-1", "S-2"],
    }
    recorded = await prod.post("/api/v1/run-tickets", ticket, role="pumper", **{"Idempotency-Key": "t-1"})
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert body["gross_bbl"] == "200.400"
    assert Decimal(body["net_bbl"]) == (Decimal("200.40") * Decimal(body["ctl"]) * Decimal("0.995")).quantize(
        Decimal("0.01")
    )
    replay = await prod.post("/api/v1/run-tickets", ticket, role="pumper", **{"Idempotency-Key": "t-1"})
    assert replay.status_code == 201 and replay.json() == body
    changed = {**ticket, "bsw_percent": "0.6"}
    reused = await prod.post("/api/v1/run-tickets", changed, role="pumper", **{"Idempotency-Key": "t-1"})
    assert reused.status_code == 409
    assert reused.json()["errors"] == [{"field": "body.bsw_percent", "message": "differs from the stored run ticket"}]
    duplicate = await prod.post("/api/v1/run-tickets", ticket, role="pumper")
    assert duplicate.status_code == 409
    other_purchaser = await prod.post("/api/v1/run-tickets", {**ticket, "purchaser": "Sunoco"})
    assert other_purchaser.status_code == 201
    bad = await prod.post(
        "/api/v1/run-tickets", {**ticket, "ticket_number": "A-2", "closing_gauge": {"feet": 16, "inches": 0}}
    )
    assert bad.status_code == 422
    above = await prod.post(
        "/api/v1/tank-gauges", {"tank_id": tank, "gauged_at": "2026-09-30T07:00:00Z", "feet": 30, "inches": 0}
    )
    assert above.status_code == 422
    month = (await prod.get(f"/api/v1/production/leases/{site.lease_id}/months/2026-09-01")).json()
    assert month["beginning_oil_stock_bbl"] == "200.400"
    assert month["ending_oil_stock_bbl"] == "100.200"  # closing gauge of the second ticket: 5 ft
    assert Decimal(month["oil_disposed_bbl"]) == Decimal(body["net_bbl"]) * 2
    assert month["oil_dispositions"] == [{"code": "01", "bbl": str(Decimal(body["net_bbl"]) * 2)}]
    events = await prod.outbox("production.run_ticket_recorded.v1")
    assert [e["ticket_number"] for e in events] == ["A-1001", "A-1001"]
    assert events[0]["seal_numbers"] == ["S-1", "S-2"]
    listed = (await prod.get("/api/v1/run-tickets", purchaser="Plains")).json()["items"]
    assert [t["ticket_number"] for t in listed] == ["A-1001"]


async def test_gas_dispositions_add_up_or_the_mismatch_is_reported(prod):
    site = await prod.site()
    for well in site.well_ids:
        await prod.reading(well, date(2026, 9, 1), gas_mcf="100")
    lease = str(site.lease_id)
    sold = await prod.post(
        "/api/v1/production/gas-dispositions", {"lease_id": lease, "month": "2026-09-01", "code": "02", "mcf": "150"}
    )
    assert sold.status_code == 201, sold.text
    no_authority = await prod.post(
        "/api/v1/production/gas-dispositions", {"lease_id": lease, "day": "2026-09-01", "code": "10", "mcf": "40"}
    )
    assert no_authority.status_code == 422
    flared = await prod.post(
        "/api/v1/production/gas-dispositions",
        {"lease_id": lease, "day": "2026-09-01", "code": "10", "mcf": "40", "authority": "AR"},
    )
    assert flared.status_code == 201
    month = (await prod.get(f"/api/v1/production/leases/{lease}/months/2026-09")).status_code
    assert month == 422  # not a date
    month = (await prod.get(f"/api/v1/production/leases/{lease}/months/2026-09-01")).json()
    assert month["gas_mcf"] == "200.000" and month["gas_disposition_mismatch_mcf"] == "10.000"
    assert month["gas_balanced"] is False
    assert {d["code"]: d["authority"] for d in month["gas_dispositions"]} == {"02": None, "10": "AR"}
    fuel = await prod.post(
        "/api/v1/production/gas-dispositions", {"lease_id": lease, "month": "2026-09-01", "code": "01", "mcf": "10"}
    )
    assert fuel.status_code == 201
    month = (await prod.get(f"/api/v1/production/leases/{lease}/months/2026-09-01")).json()
    assert month["gas_disposition_mismatch_mcf"] == "0.000" and month["gas_balanced"] is True


async def test_series_per_well_lease_and_organization(prod):
    site = await prod.site()
    for day in (1, 2):
        for month in (5, 6):
            for well in site.well_ids:
                await prod.reading(well, date(2026, month, day), oil_bbl="10", gas_mcf="1")
    daily = (
        await prod.get(
            f"/api/v1/production/wells/{site.well_ids[0]}/daily", **{"from": "2026-05-01", "to": "2026-05-31"}
        )
    ).json()
    assert [(p["day"], p["oil_bbl"]) for p in daily["points"]] == [("2026-05-01", "10.000"), ("2026-05-02", "10.000")]
    well_months = (
        await prod.get(f"/api/v1/production/wells/{site.well_ids[0]}/monthly", **{"from": "2026-01-01"})
    ).json()
    assert [(p["month"], p["oil_bbl"], p["production_days"]) for p in well_months["points"]] == [
        ("2026-05-01", "20.000", 2),
        ("2026-06-01", "20.000", 2),
    ]
    lease_months = (
        await prod.get(f"/api/v1/production/leases/{site.lease_id}/monthly", **{"from": "2026-01-01"})
    ).json()
    assert [(p["month"], p["oil_bbl"]) for p in lease_months["points"]] == [
        ("2026-05-01", "40.000"),
        ("2026-06-01", "40.000"),
    ]
    lease_daily = (
        await prod.get(f"/api/v1/production/leases/{site.lease_id}/daily", **{"from": "2026-06-02", "to": "2026-06-02"})
    ).json()
    assert lease_daily["points"][0]["oil_bbl"] == "20.000"
    org = (await prod.get("/api/v1/production/organization/monthly", **{"from": "2026-06-01"})).json()
    assert org["points"][0]["oil_bbl"] == "40.000"
    # the company's liquids and gas whatever the lease type (the dashboard's company total)
    assert (org["points"][0]["liquid_bbl"], org["points"][0]["gas_mcf"]) == ("40.000", "4.000")
    assert (await prod.get(f"/api/v1/production/leases/{site.lease_id}/monthly", org=prod.org_b)).status_code == 404
    assert (await prod.get(f"/api/v1/production/wells/{site.well_ids[0]}/daily", org=prod.org_b)).status_code == 404
    assert (await prod.get("/api/v1/production/organization/monthly", org=prod.org_b)).json()["points"] == []
    listing = (await prod.get("/api/v1/production/lease-months", month="2026-05-01")).json()["items"]
    assert [i["lease_id"] for i in listing] == [str(site.lease_id)]
