"""A tank's daily balance through the API on real PostgreSQL: the expected level against the pumper's gauges, a
drop with no ticket raising one tank_balance_gap alarm (once, however often the check runs), a refused load that
stays in the tank, a gauge that stops moving, and another organization's tank answering 404."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from wellflow_contracts.events.wells import BatteryConfigured, ConnectedWell, LeaseRegistered, TankFacts, WellRegistered
from wellflow_contracts.ids import uuid7

STRAPPING = [(Decimal(0), Decimal(0)), (Decimal(240), Decimal("400.80"))]  # 1.67 bbl per inch


async def one_tank_lease(prod, org: UUID | None = None, name: str = "Alamo") -> tuple[UUID, UUID, UUID]:
    """A lease with one well flowing into a battery with a single oil tank (and a water tank)."""
    org = org or prod.org_a
    lease_id, battery_id, tank_id, well_id = uuid7(), uuid7(), uuid7(), uuid7()
    await prod.apply(
        LeaseRegistered(
            tenant_id=org,
            lease_id=lease_id,
            name=name,
            rrc_district="08",
            rrc_lease_number=str(20000 + prod._api_serial),
            lease_type="oil",
            status="active",
        )
    )
    api = prod.next_api()
    await prod.apply(
        WellRegistered(
            tenant_id=org,
            well_id=well_id,
            name=f"{name} 1",
            api_number=api,
            lease_id=lease_id,
            rrc_district="08",
            lease_type="oil",
            well_type="oil",
            purpose="development",
            status="producing",
        )
    )
    tanks = [
        TankFacts(tank_id=tank_id, number="T1", product="oil", capacity_bbl=Decimal(400), strapping=STRAPPING),
        TankFacts(tank_id=uuid7(), number="W1", product="water", capacity_bbl=Decimal(400), strapping=STRAPPING),
    ]
    await prod.apply(
        BatteryConfigured(
            tenant_id=org,
            battery_id=battery_id,
            name=f"{name} battery",
            lease_id=lease_id,
            tanks=tanks,
            wells=[ConnectedWell(well_id=well_id, api_number=api, effective_from=date(2020, 1, 1))],
        )
    )
    return lease_id, well_id, tank_id


async def gauge(
    prod, tank_id: UUID, day: date, feet: int, inches: int = 0, org: UUID | None = None, hour: int = 18
) -> None:
    body = {
        "tank_id": str(tank_id),
        "gauged_at": f"{day.isoformat()}T{hour:02d}:00:00-05:00",
        "gauge_date": day.isoformat(),
        "feet": feet,
        "inches": inches,
    }
    answer = await prod.post("/api/v1/tank-gauges", body, role="pumper", org=org)
    assert answer.status_code == 201, answer.text


async def ticket(
    prod,
    tank_id: UUID,
    number: str,
    day: date,
    opening: tuple[int, int],
    closing: tuple[int, int],
    hauler: str = "Hauler A",
):
    body = {
        "ticket_number": number,
        "purchaser": "Plains",
        "hauler": hauler,
        "tank_id": str(tank_id),
        "taken_at": f"{day.isoformat()}T12:00:00-05:00",
        "opening_gauge": {"feet": opening[0], "inches": opening[1]},
        "closing_gauge": {"feet": closing[0], "inches": closing[1]},
        "observed_gravity_api": "40",
        "observed_temperature_f": "60",
        "bsw_percent": "0",
    }
    answer = await prod.post("/api/v1/run-tickets", body, role="pumper")
    assert answer.status_code == 201, answer.text
    return answer.json()


async def balance(prod, tank_id: UUID, first: str, last: str, org: UUID | None = None):
    return await prod.get(f"/api/v1/production/tanks/{tank_id}/balance", org=org, **{"from": first, "to": last})


async def test_the_balance_follows_gauges_readings_and_tickets_and_a_drop_with_no_ticket_alarms_once(prod):
    _, well_id, tank_id = await one_tank_lease(prod)
    await gauge(prod, tank_id, date(2026, 8, 1), 5)  # 60 in: 100.20 bbl
    for day in (2, 3, 4):
        assert (await prod.reading(well_id, date(2026, 8, day), oil_bbl="20.04")).status_code == 201
    await gauge(prod, tank_id, date(2026, 8, 2), 6)  # 72 in: 120.24 = 100.20 + 20.04, exact
    await ticket(prod, tank_id, "T-1", date(2026, 8, 3), (7, 0), (1, 0))  # 140.28 -> 20.04: 120.24 out
    await gauge(prod, tank_id, date(2026, 8, 4), 1, 0)  # expected 20.04 + 20.04 = 40.08; gauged 20.04: 20.04 short

    answer = await balance(prod, tank_id, "2026-08-02", "2026-08-04")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["shared"], body["rule"]) == (False, {"floor_bbl": "5", "capacity_percent": "1", "stale_days": 3})
    d2, d3, d4 = body["days"]
    assert (Decimal(d2["expected_high_bbl"]), Decimal(d2["gauged_bbl"]), Decimal(d2["gap_bbl"]), d2["alarm"]) == (
        Decimal("120.24"),
        Decimal("120.24"),
        0,
        False,
    )
    assert (Decimal(d3["tickets_bbl"]), Decimal(d3["expected_high_bbl"]), d3["gauged_bbl"]) == (
        Decimal("120.24"),
        Decimal("20.04"),
        None,
    )
    assert (Decimal(d4["expected_high_bbl"]), Decimal(d4["gap_bbl"]), Decimal(d4["threshold_bbl"]), d4["alarm"]) == (
        Decimal("40.08"),
        Decimal("-20.04"),
        Decimal("5.00"),
        True,
    )

    for _ in range(2):  # the check runs again: still one alarm for the tank-day
        assert (await prod.post("/api/v1/production-alerts/checks", {"day": "2026-08-04"})).status_code == 200
    alarms = (await prod.get("/api/v1/production/tank-alarms")).json()["items"]
    assert [(a["kind"], a["tank_id"], a["day"]) for a in alarms] == [("tank_balance_gap", str(tank_id), "2026-08-04")]
    assert Decimal(alarms[0]["details"]["gap_bbl"]) == Decimal("-20.04")
    raised = [e for e in await prod.outbox("production.alert_raised.v1") if e["kind"] == "tank_balance_gap"]
    assert len(raised) == 1 and raised[0]["tank_id"] == str(tank_id)

    acknowledged = await prod.post(f"/api/v1/production-alerts/{alarms[0]['alert_id']}/acknowledge", {"note": "seen"})
    assert acknowledged.status_code == 200, acknowledged.text
    assert (await prod.get("/api/v1/production/tank-alarms")).json()["items"] == []


async def test_a_gauge_that_stops_moving_on_a_producing_tank_raises_a_stale_alarm(prod):
    _, well_id, tank_id = await one_tank_lease(prod)
    await gauge(prod, tank_id, date(2026, 8, 1), 5)
    for day in range(2, 6):
        assert (await prod.reading(well_id, date(2026, 8, day), oil_bbl="10")).status_code == 201
    days = (await balance(prod, tank_id, "2026-08-02", "2026-08-05")).json()["days"]
    assert [(d["unchanged_days"], d["stale"]) for d in days] == [(1, False), (2, False), (3, True), (4, True)]
    await prod.post("/api/v1/production-alerts/checks", {"day": "2026-08-04"})
    alarms = (await prod.get("/api/v1/production/tank-alarms")).json()["items"]
    assert [(a["kind"], a["day"]) for a in alarms] == [("tank_gauge_stale", "2026-08-04")]


async def test_bad_ranges_are_refused_and_another_organizations_tank_is_not_found(prod):
    _, _, tank_id = await one_tank_lease(prod)
    backwards = await balance(prod, tank_id, "2026-08-05", "2026-08-01")
    assert backwards.status_code == 422 and "query.to" in backwards.text
    too_long = await balance(prod, tank_id, "2025-01-01", "2026-08-01")
    assert too_long.status_code == 422
    assert (await balance(prod, tank_id, "2026-08-01", "2026-08-02", org=prod.org_b)).status_code == 404
    assert (await balance(prod, uuid7(), "2026-08-01", "2026-08-02")).status_code == 404
    other = await prod.get("/api/v1/production/tank-alarms", org=prod.org_b)
    assert other.status_code == 200 and other.json()["items"] == []


async def test_a_refused_load_stays_in_the_tank_and_its_dispute_is_settled_once(prod):
    lease_id, well_id, tank_id = await one_tank_lease(prod)
    await gauge(prod, tank_id, date(2026, 8, 1), 5)  # 100.20
    assert (await prod.reading(well_id, date(2026, 8, 2), oil_bbl="20.04")).status_code == 201
    taken = await ticket(prod, tank_id, "R-1", date(2026, 8, 2), (6, 0), (0, 0))  # 120.24 "out"
    await gauge(prod, tank_id, date(2026, 8, 2), 6)  # the purchaser refused it: 120.24 still in the tank
    [before] = (await balance(prod, tank_id, "2026-08-02", "2026-08-02")).json()["days"]
    assert (Decimal(before["gap_bbl"]), before["alarm"]) == (Decimal("120.24"), True)

    path = f"/api/v1/run-tickets/{taken['id']}/rejection"
    refusal = {"reason": "BS&W 1.2 % over the 1 % limit", "photo_document_id": "doc-7f3a"}
    first = await prod.post(path, refusal)
    assert first.status_code == 201, first.text
    assert (first.json()["dispute_state"], first.json()["photo_document_id"]) == ("open", "doc-7f3a")
    assert (await prod.post(path, refusal)).status_code == 200  # a retry answers the first
    different = await prod.post(path, {"reason": "seal broken"})
    assert different.status_code == 409, different.text
    [after] = (await balance(prod, tank_id, "2026-08-02", "2026-08-02")).json()["days"]
    assert (Decimal(after["gap_bbl"]), after["alarm"], Decimal(after["rejected_bbl"])) == (0, False, Decimal("120.24"))
    [month] = await prod.tenant_query(
        "SELECT oil_disposed_bbl FROM lease_months WHERE lease_id = :lease AND month = '2026-08-01'", lease=lease_id
    )
    assert month["oil_disposed_bbl"] == 0
    [event] = await prod.outbox("production.run_ticket_rejected.v1")
    assert (event["ticket_id"], event["reason"]) == (taken["id"], refusal["reason"])

    assert (await prod.get("/api/v1/production/refused-loads", state="open")).json()["items"][0]["reason"] == (
        refusal["reason"]
    )
    resolved = await prod.post(f"{path}/resolution", {"resolution": "retested at 0.8 %; purchaser credited"})
    assert resolved.status_code == 200, resolved.text
    assert (resolved.json()["dispute_state"], resolved.json()["resolved_by"]) != ("open", None)
    retried = await prod.post(f"{path}/resolution", {"resolution": "retested at 0.8 %; purchaser credited"})
    assert (retried.status_code, retried.json()["resolved_at"]) == (200, resolved.json()["resolved_at"])
    assert (await prod.post(f"{path}/resolution", {"resolution": "again"})).status_code == 409
    assert [
        r["run_ticket_id"]
        for r in (await prod.get("/api/v1/production/refused-loads", state="resolved")).json()["items"]
    ] == [taken["id"]]
    assert (await prod.post(path, {"reason": ""})).status_code == 422

    assert (await prod.post(path, refusal, org=prod.org_b)).status_code == 404
    assert (await prod.get(path, org=prod.org_b)).status_code == 404
    assert (await prod.post(f"{path}/resolution", {"resolution": "x"}, org=prod.org_b)).status_code == 404
    assert (await prod.get("/api/v1/production/refused-loads", org=prod.org_b)).json()["items"] == []


async def test_the_hauler_watch_flags_a_hauler_whose_tickets_keep_coming_up_short(prod):
    _, _, tank_id = await one_tank_lease(prod)
    start = date(2026, 7, 1)
    for n in range(20):
        day = start + timedelta(days=n)
        short = n % 2 == 0
        await gauge(prod, tank_id, day, 10, hour=7)  # 200.40
        await ticket(prod, tank_id, f"H-{n}", day, (10, 0), (4, 0), hauler="Hauler S" if short else "Hauler A")
        # Hauler S: the tank ends 6 or 7 inches lower than its closing gauge says (10.02 or 11.69 bbl short);
        # Hauler A: within an inch either way
        inches = (6 + (n // 2) % 2) if short else (0, 1, -1, 0, 1)[(n // 2) % 5]
        level = 48 - inches
        await gauge(prod, tank_id, day, level // 12, level % 12, hour=18)
    answer = await prod.get("/api/v1/production/hauler-watch", **{"from": "2026-07-01", "to": "2026-07-31"})
    assert answer.status_code == 200, answer.text
    items = {i["hauler"]: i for i in answer.json()["items"]}
    short = items["Hauler S"]
    # 5 of 10.02 and 5 of 11.69: mean 10.855
    assert (short["tickets"], short["flagged"], Decimal(short["mean_difference_bbl"])) == (10, True, Decimal("10.86"))
    fair = items["Hauler A"]
    assert (fair["tickets"], fair["flagged"]) == (10, False)
    assert answer.json()["items"][0]["hauler"] == "Hauler S"
    by_purchaser = await prod.get(
        "/api/v1/production/hauler-watch", by="purchaser", **{"from": "2026-07-01", "to": "2026-07-31"}
    )
    assert [i["purchaser"] for i in by_purchaser.json()["items"]] == ["Plains"]
    assert by_purchaser.json()["items"][0]["tickets"] == 20
    other = await prod.get(
        "/api/v1/production/hauler-watch", org=prod.org_b, **{"from": "2026-07-01", "to": "2026-07-31"}
    )
    assert other.json()["items"] == []


async def test_the_thresholds_are_the_organizations_settings_and_bad_ones_are_refused(prod):
    settings = (await prod.get("/api/v1/production/settings")).json()
    assert (settings["tank_gap_floor_bbl"], settings["tank_gap_capacity_percent"], settings["tank_stale_days"]) == (
        "5",
        "1",
        3,
    )
    assert (settings["net_revenue_interest"], settings["route_by_dollars_at_risk"]) == (None, False)
    refused = await prod.patch("/api/v1/production/settings", {"tank_gap_floor_bbl": "0"})
    assert refused.status_code == 422 and "tank_gap_floor_bbl" in refused.text
    refused = await prod.patch("/api/v1/production/settings", {"net_revenue_interest": "1.5"})
    assert refused.status_code == 422 and "net_revenue_interest" in refused.text
    assert (await prod.get("/api/v1/production/settings")).json()["tank_gap_floor_bbl"] == "5"

    _, well_id, tank_id = await one_tank_lease(prod)
    await gauge(prod, tank_id, date(2026, 8, 1), 5)
    assert (await prod.reading(well_id, date(2026, 8, 2), oil_bbl="20.04")).status_code == 201
    await gauge(prod, tank_id, date(2026, 8, 2), 5, 6)  # 110.22: 10.02 short of 120.24
    [day] = (await balance(prod, tank_id, "2026-08-02", "2026-08-02")).json()["days"]
    assert (Decimal(day["gap_bbl"]), day["alarm"]) == (Decimal("-10.02"), True)
    changed = await prod.patch("/api/v1/production/settings", {"tank_gap_floor_bbl": "12"})
    assert changed.status_code == 200, changed.text
    [day] = (await balance(prod, tank_id, "2026-08-02", "2026-08-02")).json()["days"]
    assert (Decimal(day["threshold_bbl"]), day["alarm"]) == (Decimal("12.00"), False)
