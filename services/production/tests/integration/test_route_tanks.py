"""What the pumper's route carries for its tanks: the strapping table, the latest gauge, the expected balance
(last gauge + the battery's oil read since - tickets since, a range when the battery has several oil tanks) with
its tolerance and rule, and the purchasers, haulers and drivers of the lease's earlier run tickets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from wellflow_contracts.events.wells import BatteryConfigured, ConnectedWell, LeaseRegistered, TankFacts, WellRegistered
from wellflow_contracts.ids import uuid7

DAY = date(2026, 8, 31)
PUMPER = UUID("01938a10-0000-7000-8000-0000000000f1")
STRAPPING = [(Decimal(0), Decimal(0)), (Decimal(240), Decimal("400.80"))]  # 1.67 bbl per inch


async def _one_tank_lease(prod) -> tuple[UUID, UUID, UUID]:
    """A lease "Alamo" with one well flowing into a battery with a single oil tank and a water tank."""
    org, lease_id, battery_id, tank_id, well_id = prod.org_a, uuid7(), uuid7(), uuid7(), uuid7()
    await prod.apply(
        LeaseRegistered(
            tenant_id=org,
            lease_id=lease_id,
            name="Alamo",
            rrc_district="08",
            rrc_lease_number="20001",
            lease_type="oil",
            status="active",
        )
    )
    api = prod.next_api()
    await prod.apply(
        WellRegistered(
            tenant_id=org,
            well_id=well_id,
            name="Alamo 1",
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
        TankFacts(tank_id=tank_id, number="T9", product="oil", capacity_bbl=Decimal(400), strapping=STRAPPING),
        TankFacts(tank_id=uuid7(), number="W1", product="water", capacity_bbl=Decimal(400), strapping=STRAPPING),
    ]
    await prod.apply(
        BatteryConfigured(
            tenant_id=org,
            battery_id=battery_id,
            name="Alamo battery",
            lease_id=lease_id,
            tanks=tanks,
            wells=[ConnectedWell(well_id=well_id, api_number=api, effective_from=date(2020, 1, 1))],
        )
    )
    return lease_id, well_id, tank_id


async def _route(prod) -> dict:
    answer = await prod.client.get(
        "/api/v1/production/route",
        params={"date": DAY.isoformat()},
        headers=prod.as_role("pumper", subject=str(PUMPER)),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _gauge(prod, tank_id: UUID, day: date, feet: int) -> None:
    body = {"tank_id": str(tank_id), "gauged_at": f"{day.isoformat()}T07:00:00-05:00", "feet": feet, "inches": 0}
    answer = await prod.post("/api/v1/tank-gauges", body, role="pumper")
    assert answer.status_code == 201, answer.text


def _ticket(tank_id: UUID, number: str, purchaser: str, hauler: str | None, driver: str | None, at: str) -> dict:
    return {
        "ticket_number": number,
        "purchaser": purchaser,
        "hauler": hauler,
        "driver": driver,
        "tank_id": str(tank_id),
        "taken_at": at,
        "opening_gauge": {"feet": 10, "inches": 0},
        "closing_gauge": {"feet": 2, "inches": 0},
        "observed_gravity_api": "40",
        "observed_temperature_f": "70",
        "bsw_percent": "0.2",
    }


async def test_a_single_oil_tank_is_expected_at_its_last_gauge_plus_production_less_tickets(prod):
    lease_id, well_id, tank_id = await _one_tank_lease(prod)
    before = await _route(prod)
    [oil, water] = before["tanks"]
    assert (oil["tank_id"], oil["lease_id"], oil["last_gauge"], oil["balance"]) == (
        str(tank_id),
        str(lease_id),
        None,
        None,
    )
    assert oil["strapping"] == [["0", "0"], ["240", "400.80"]]
    assert water["product"] == "water"
    assert before["balance_rule"] == {"floor_bbl": "5", "capacity_percent": "1", "production_percent": "10"}
    assert before["ticket_parties"] == {}

    await _gauge(prod, tank_id, date(2026, 8, 28), 5)  # 60 in: 100.20 bbl
    for day, oil_bbl in ((28, "99"), (29, "30"), (30, "40")):  # the 28th's oil was in the tank at its gauge
        assert (await prod.reading(well_id, date(2026, 8, day), oil_bbl=oil_bbl)).status_code == 201
    after = (await _route(prod))["tanks"]
    [oil, water] = after
    assert Decimal(oil["last_gauge"]["barrels"]) == Decimal("100.20") and oil["last_gauge"]["source"] == "gauge"
    assert (oil["last_gauge"]["feet"], oil["last_gauge"]["inches"], oil["last_gauge"]["gauge_date"]) == (
        5,
        0,
        "2026-08-28",
    )
    balance = oil["balance"]
    assert Decimal(balance["production_bbl"]) == 70 and Decimal(balance["tickets_bbl"]) == 0
    assert balance["shared"] is False
    assert Decimal(balance["expected_low_bbl"]) == Decimal(balance["expected_high_bbl"]) == Decimal("170.20")
    assert Decimal(balance["tolerance_bbl"]) == 7  # 10% of the 70 bbl produced since, above 5 bbl and 1% of 400
    assert water["balance"] is None  # water hauling is not recorded: not checked

    # a run ticket after the gauge: its closing gauge is now the latest, and the ticket is no longer "since"
    ticket = _ticket(tank_id, "R-1", "Permian Crude", "Lone Star Hauling", "J. Ortiz", "2026-08-30T15:00:00Z")
    assert (await prod.post("/api/v1/run-tickets", ticket, role="pumper")).status_code == 201
    again = (await _route(prod))["tanks"][0]
    assert again["last_gauge"]["source"] == "ticket_closing" and (again["last_gauge"]["feet"]) == 2
    # production days after the ticket's day count (the 30th's closed before it): none yet
    assert Decimal(again["balance"]["production_bbl"]) == 0
    assert Decimal(again["balance"]["expected_high_bbl"]) == Decimal("40.08")  # 24 in


async def test_tickets_since_the_last_gauge_come_off_and_several_oil_tanks_make_a_range(prod):
    site = await prod.site(wells=2)
    t1, t2 = site.tank_ids
    await _gauge(prod, t1, date(2026, 8, 29), 10)  # 200.40 bbl
    await _gauge(prod, t2, date(2026, 8, 29), 1)
    for well in site.well_ids:
        assert (await prod.reading(well, date(2026, 8, 30), oil_bbl="12.5")).status_code == 201
    # a ticket recorded later but taken after the gauge (its own observations sort after the gauge too)
    for number, purchaser, hauler, driver, at in (
        ("R-7", "Plains Marketing", "Lone Star Hauling", "J. Ortiz", "2026-08-29T18:00:00Z"),
        ("R-8", "Sunoco", None, None, "2026-08-20T18:00:00Z"),
    ):
        body = _ticket(site.tank_ids[1], number, purchaser, hauler, driver, at)
        assert (await prod.post("/api/v1/run-tickets", body, role="pumper")).status_code == 201
    body = await _route(prod)
    tanks = {t["tank_id"]: t for t in body["tanks"]}
    first = tanks[str(t1)]["balance"]
    assert first["shared"] is True
    assert (Decimal(first["expected_low_bbl"]), Decimal(first["expected_high_bbl"])) == (
        Decimal("200.40"),
        Decimal("225.40"),
    )
    assert Decimal(first["tolerance_bbl"]) == 5
    # the tank's latest observation is the later ticket's closing gauge: no ticket since it
    second = tanks[str(t2)]
    assert second["last_gauge"]["source"] == "ticket_closing"
    assert Decimal(second["balance"]["tickets_bbl"]) == 0
    # the lease's purchasers, haulers and drivers, the latest ticket's first, each once
    assert body["ticket_parties"] == {
        str(site.lease_id): {
            "purchasers": ["Plains Marketing", "Sunoco"],
            "haulers": ["Lone Star Hauling"],
            "drivers": ["J. Ortiz"],
        }
    }


async def test_a_down_well_carries_its_hours_on(prod):
    site = await prod.site(wells=2)
    answer = await prod.reading(
        site.well_ids[0], DAY, hours_on="0", oil_bbl="0", gas_mcf="0", water_bbl="0", downtime_reason="mechanical"
    )
    assert answer.status_code == 201, answer.text
    assert (await prod.reading(site.well_ids[1], DAY)).status_code == 201
    wells = {w["well_id"]: w for w in (await _route(prod))["wells"]}
    assert Decimal(wells[str(site.well_ids[0])]["hours_on"]) == 0
    assert Decimal(wells[str(site.well_ids[1])]["hours_on"]) == 24
