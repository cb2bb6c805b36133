"""The rules the API enforces and serves: a part day needs its downtime reason (422 naming the field), a volume
far above the well's recent days needs confirmation, the rules document the console checks with, and the route
carrying each well's day, last reading and recent mean for the phone."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

DAY = date(2026, 10, 20)


async def _history(prod, well_id, days: int = 10, oil: str = "2.5") -> None:
    for back in range(1, days + 1):
        answer = await prod.reading(well_id, DAY - timedelta(days=back), oil_bbl=oil, gas_mcf="30", water_bbl="4")
        assert answer.status_code == 201, answer.text


async def test_a_part_day_without_a_downtime_reason_is_refused_naming_the_field(prod):
    site = await prod.site()
    refused = await prod.reading(site.well_ids[0], DAY, hours_on="16")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "body.downtime_reason",
            "message": "the well was on 16 of 24 hours: give a downtime reason (why it was down)",
        }
    ]
    assert (await prod.tenant_query("SELECT count(*) AS n FROM readings"))[0]["n"] == 0
    stored = await prod.reading(site.well_ids[0], DAY, hours_on="16", downtime_reason="electrical")
    assert stored.status_code == 201 and stored.json()["warnings"] == []
    # a correction to fewer hours must bring its reason too
    reading = stored.json()
    corrected = await prod.patch(
        f"/api/v1/readings/{reading['reading_id']}",
        {"hours_on": "18", "downtime_reason": None, "version": 1, "reason": "pumper misread the timer"},
    )
    assert corrected.status_code == 422
    assert corrected.json()["errors"][0]["field"] == "body.downtime_reason"


async def test_a_volume_far_above_the_wells_recent_days_needs_confirmation(prod):
    site = await prod.site()
    await _history(prod, site.well_ids[0])
    typo = await prod.reading(site.well_ids[0], DAY, oil_bbl="12.5", gas_mcf="30", water_bbl="4")
    assert typo.status_code == 422
    problem = typo.json()
    assert problem["code"] == "confirmation_required"
    assert problem["warnings"] == [
        {
            "field": "oil_bbl",
            "code": "above_well_average",
            "message": "oil_bbl 12.5 is 5 times the well's recent average of 2.5: confirm it",
        }
    ]
    # the other well has no history: nothing to compare with
    assert (await prod.reading(site.well_ids[1], DAY, oil_bbl="12.5")).status_code == 201
    ordinary = await prod.reading(site.well_ids[0], DAY, oil_bbl="2.75", gas_mcf="30", water_bbl="4")
    assert ordinary.status_code == 201, ordinary.text
    # a correction to the typo is asked about too, and goes with confirm
    body = ordinary.json()
    path = f"/api/v1/readings/{body['reading_id']}"
    asked = await prod.patch(path, {"oil_bbl": "27.5", "version": 1, "reason": "flush after the workover"})
    assert asked.status_code == 422 and asked.json()["code"] == "confirmation_required"
    confirmed = await prod.patch(
        path, {"oil_bbl": "27.5", "version": 1, "reason": "flush after the workover", "confirm": True}
    )
    assert confirmed.status_code == 200 and Decimal(confirmed.json()["oil_bbl"]) == Decimal("27.5")


async def test_the_rules_are_served_with_the_organizations_limits(prod):
    await prod.patch("/api/v1/production/settings", {"max_oil_bbl": "800", "trailing_days": 14})
    answer = await prod.get("/api/v1/readings/rules", role="pumper")
    assert answer.status_code == 200
    rules = answer.json()
    assert rules["fields"]["oil_bbl"] == {"min": "0", "max": "99999999999.999", "decimals": 3, "required": True}
    assert rules["fields"]["hours_on"]["max"] == "24" and rules["fields"]["tubing_pressure_psi"]["required"] is False
    assert rules["downtime_reason_required_below_hours"] == "24"
    assert Decimal(rules["plausibility"]["organization_limits"]["oil_bbl"]) == 800
    assert rules["plausibility"]["trailing_days"] == 14
    assert rules["plausibility"]["well_jump_factor"] == "3"
    assert {"code": "mechanical", "label": "Mechanical failure (pump, rods, tubing)"} in rules["downtime_reasons"]
    today = date.fromisoformat(rules["production_date"]["latest"])
    assert date.fromisoformat(rules["production_date"]["earliest_on_phone"]) == today - timedelta(days=7)
    other = (await prod.get("/api/v1/readings/rules", org=prod.org_b)).json()
    assert Decimal(other["plausibility"]["organization_limits"]["oil_bbl"]) == 1000
    assert (await prod.client.get("/api/v1/readings/rules")).status_code == 401


async def test_the_route_carries_each_wells_day_last_reading_and_recent_mean(prod):
    site = await prod.site()
    await _history(prod, site.well_ids[0], days=6, oil="3")
    today = await prod.reading(site.well_ids[0], DAY, oil_bbl="3.25", gas_mcf="30", water_bbl="4")
    route = (await prod.get("/api/v1/production/route", role="pumper", date=DAY.isoformat())).json()
    wells = {w["well_id"]: w for w in route["wells"]}
    read, unread = wells[str(site.well_ids[0])], wells[str(site.well_ids[1])]
    assert read["reading_id"] == today.json()["reading_id"] and read["reading_version"] == 1
    assert read["reading"]["oil_bbl"] == "3.250" and Decimal(read["reading"]["hours_on"]) == 24
    assert read["last"]["production_date"] == (DAY - timedelta(days=1)).isoformat()
    assert read["last"]["oil_bbl"] == "3.000"
    assert read["recent"] == {
        "trailing_days": 30,
        "days": 6,
        "oil_bbl": "3.000",
        "gas_mcf": "30.000",
        "water_bbl": "4.000",
    }
    assert unread["reading"] is None and unread["last"] is None and unread["recent"] is None
