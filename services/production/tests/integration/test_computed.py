"""Allocation of battery oil to producing wells, decline forecasts from a well's history, and alerts."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

TANK_BBL_PER_INCH = Decimal("1.67")


async def gauge(prod, tank_id, day: date, inches: int, hour: int = 7):
    answer = await prod.post(
        "/api/v1/tank-gauges",
        {
            "tank_id": str(tank_id),
            "gauged_at": f"{day.isoformat()}T{hour:02d}:00:00Z",
            "gauge_date": day.isoformat(),
            "feet": inches // 12,
            "inches": inches % 12,
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_allocation_splits_measured_oil_by_test_rate_and_hours_and_shut_in_gets_nothing(prod):
    site = await prod.site(wells=3, test_rates=[Decimal(30), Decimal(10), Decimal(20)])
    await prod.shut_in(site, 2, date(2026, 9, 1))  # the third well is shut in all month
    tank = site.tank_ids[0]
    await gauge(prod, tank, date(2026, 8, 31), 60)  # 100.20 bbl
    await gauge(prod, site.tank_ids[1], date(2026, 8, 31), 0)
    await gauge(prod, site.tank_ids[1], date(2026, 9, 30), 0)
    for day in range(1, 31):
        await prod.reading(site.well_ids[0], date(2026, 9, day), hours_on="24", oil_bbl="1")
        await prod.reading(
            site.well_ids[1], date(2026, 9, day), hours_on="12", oil_bbl="1", downtime_reason="mechanical"
        )
    await gauge(prod, tank, date(2026, 9, 2), 72)  # 120.24
    ticket = {
        "ticket_number": "R-1",
        "purchaser": "Plains",
        "tank_id": str(tank),
        "taken_at": "2026-09-15T12:00:00Z",
        "opening_gauge": {"feet": 12, "inches": 0},
        "closing_gauge": {"feet": 2, "inches": 0},
        "observed_gravity_api": "38",
        "observed_temperature_f": "70",
        "bsw_percent": "0.2",
    }
    assert (await prod.post("/api/v1/run-tickets", ticket)).status_code == 201
    await gauge(prod, tank, date(2026, 9, 30), 90)  # 150.30
    answer = await prod.get("/api/v1/allocations", battery_id=str(site.battery_id), month="2026-09-01")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    run = Decimal(144) * TANK_BBL_PER_INCH - Decimal(24) * TANK_BBL_PER_INCH  # 200.40 gross
    measured = Decimal("150.30") - Decimal("100.20") + run
    assert Decimal(body["measured_bbl"]) == measured
    shares = {w["well_id"]: Decimal(w["allocated_bbl"]) for w in body["wells"]}
    assert sum(shares.values()) == measured
    assert shares[str(site.well_ids[2])] == 0
    # 30 bbl/d x 24 h against 10 bbl/d x 12 h: 6 to 1
    assert abs(shares[str(site.well_ids[0])] - measured * 6 / 7) <= Decimal("0.01")
    producing = {w["well_id"]: w["producing"] for w in body["wells"]}
    assert producing[str(site.well_ids[2])] is False
    day2 = next(d for d in body["daily"] if d["day"] == "2026-09-02")
    assert Decimal(day2["measured_bbl"]) == Decimal("120.24") - Decimal("100.20")
    assert sum(Decimal(w["oil_bbl"]) for w in day2["wells"]) == Decimal(day2["measured_bbl"])
    assert (
        await prod.get("/api/v1/allocations", battery_id=str(site.battery_id), month="2026-09-01", org=prod.org_b)
    ).status_code == 404


async def test_decline_forecast_recovers_the_parameters_of_a_synthetic_well(prod):
    site = await prod.site(wells=1)
    qi, di, b = 120.0, 0.9, 0.8  # nominal per year
    start = date(2024, 1, 1)
    for n in range(0, 540, 3):
        rate = qi / (1 + b * di / 365.25 * n) ** (1 / b)
        answer = await prod.reading(
            site.well_ids[0], start + timedelta(days=n), oil_bbl=f"{rate:.2f}", gas_mcf="0", water_bbl="0", confirm=True
        )
        assert answer.status_code == 201, answer.text
    answer = await prod.get(f"/api/v1/forecasts/wells/{site.well_ids[0]}", product="oil", days=30, economic_limit="2")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    params = body["parameters"]
    assert math.isclose(float(params["qi"]), qi, rel_tol=0.02)
    assert math.isclose(float(params["di"]), di, rel_tol=0.05)
    assert math.isclose(float(params["b"]), b, abs_tol=0.05)
    assert float(body["fit"]["r_squared"]) > 0.99 and len(body["forecast"]) == 30
    assert Decimal(body["eur"]) > Decimal(body["cumulative_to_date"]) > 0
    short = await prod.site(wells=1)
    await prod.reading(short.well_ids[0], date(2026, 1, 1))
    assert (await prod.get(f"/api/v1/forecasts/wells/{short.well_ids[0]}")).status_code == 422
    assert (await prod.get(f"/api/v1/forecasts/wells/{site.well_ids[0]}", org=prod.org_b)).status_code == 404


async def test_the_alert_check_raises_each_alert_once_and_a_manager_acknowledges_it(prod):
    site = await prod.site(wells=3)
    day = date(2026, 10, 20)
    for n in range(1, 20):
        await prod.reading(site.well_ids[0], day - timedelta(days=n), oil_bbl="20")
    await prod.reading(site.well_ids[0], day, oil_bbl="5")  # 75% below its trailing average of 20
    await prod.reading(
        site.well_ids[1], day, oil_bbl="0", gas_mcf="0", water_bbl="0", hours_on="0", downtime_reason="electrical"
    )
    await gauge(prod, site.tank_ids[0], day, 230)  # 384 bbl of 400: 96 %
    answer = await prod.post("/api/v1/production-alerts/checks", {"day": day.isoformat()})
    assert answer.status_code == 200, answer.text
    kinds = sorted((a["kind"], a["well_id"] or a["tank_id"]) for a in answer.json()["raised"])
    assert kinds == sorted(
        [
            ("below_expectation", str(site.well_ids[0])),
            ("zero_hours", str(site.well_ids[1])),
            ("missing_reading", str(site.well_ids[2])),
            ("tank_high", str(site.tank_ids[0])),
        ]
    )
    again = await prod.post("/api/v1/production-alerts/checks", {"day": day.isoformat()})
    assert again.json()["raised"] == []
    assert len(await prod.outbox("production.alert_raised.v1")) == 4
    listed = (await prod.get("/api/v1/production-alerts", kind="missing_reading")).json()["items"]
    assert len(listed) == 1 and "no reading" in listed[0]["message"]
    ack = await prod.post(f"/api/v1/production-alerts/{listed[0]['alert_id']}/acknowledge", {"note": "pumper on leave"})
    assert (
        ack.status_code == 200
        and ack.json()["acknowledged_by"]
        and ack.json()["acknowledgement_note"] == "pumper on leave"
    )
    assert (await prod.post(f"/api/v1/production-alerts/{listed[0]['alert_id']}/acknowledge", {})).status_code == 409
    open_alerts = (await prod.get("/api/v1/production-alerts", acknowledged="false")).json()["items"]
    assert len(open_alerts) == 3
    assert (await prod.get("/api/v1/production-alerts", org=prod.org_b)).json()["items"] == []
    # a shut-in well is not expected to report
    await prod.shut_in(site, 2, day + timedelta(days=1))
    later = (await prod.post("/api/v1/production-alerts/checks", {"day": (day + timedelta(days=1)).isoformat()})).json()
    assert str(site.well_ids[2]) not in {a["well_id"] for a in later["raised"]}


async def test_an_alert_carries_the_pumpers_reason_and_keeps_the_acknowledgement_note(prod):
    site = await prod.site(wells=2)
    day = date(2026, 10, 20)
    await prod.reading(
        site.well_ids[0],
        day,
        oil_bbl="0",
        gas_mcf="0",
        water_bbl="0",
        hours_on="0",
        downtime_reason="electrical",
        comments="co-op line down since 3 a.m.",
    )
    checked = (await prod.post("/api/v1/production-alerts/checks", {"day": day.isoformat()})).json()
    assert {a["kind"]: a["reading"] and a["reading"]["downtime_reason"] for a in checked["raised"]} == {
        "zero_hours": "electrical",
        "missing_reading": None,
    }
    (zero,) = (await prod.get("/api/v1/production-alerts", kind="zero_hours")).json()["items"]
    assert zero["reading"]["downtime_reason"] == "electrical"
    assert zero["reading"]["downtime_reason_label"] == "Power outage or electrical failure"
    assert zero["reading"]["comments"] == "co-op line down since 3 a.m."
    assert zero["reading"]["hours_on"] == "0.000"
    (missing,) = (await prod.get("/api/v1/production-alerts", kind="missing_reading")).json()["items"]
    assert missing["reading"] is None

    too_long = await prod.post(f"/api/v1/production-alerts/{zero['alert_id']}/acknowledge", {"note": "x" * 1001})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "body.note"
    assert (await prod.get("/api/v1/production-alerts", acknowledged="false", kind="zero_hours")).json()["items"]
    ack = await prod.post(
        f"/api/v1/production-alerts/{zero['alert_id']}/acknowledge", {"note": "  called the co-op; back at noon  "}
    )
    assert ack.status_code == 200, ack.text
    assert ack.json()["acknowledgement_note"] == "called the co-op; back at noon"
    assert ack.json()["reading"]["downtime_reason"] == "electrical"
    (kept,) = (await prod.get("/api/v1/production-alerts", acknowledged="true")).json()["items"]
    assert kept["acknowledgement_note"] == "called the co-op; back at noon"
    blank = await prod.post(f"/api/v1/production-alerts/{missing['alert_id']}/acknowledge", {"note": "   "})
    assert blank.status_code == 200 and blank.json()["acknowledgement_note"] is None
    assert (await prod.get("/api/v1/production-alerts", org=prod.org_b)).json()["items"] == []


async def test_the_periodic_check_walks_every_known_organization(prod):
    site_a = await prod.site()
    site_b = await prod.site(org=prod.org_b)
    from datetime import UTC, datetime

    from wellflow_production.app.alerts import check_yesterday

    raised = await check_yesterday(prod.app.state.production, datetime(2026, 10, 2, 6, tzinfo=UTC))
    assert raised == 4  # two wells each, no readings on 2026-10-01
    a = (await prod.get("/api/v1/production-alerts")).json()["items"]
    b = (await prod.get("/api/v1/production-alerts", org=prod.org_b)).json()["items"]
    assert {x["well_id"] for x in a} == {str(w) for w in site_a.well_ids}
    assert {x["well_id"] for x in b} == {str(w) for w in site_b.well_ids}
