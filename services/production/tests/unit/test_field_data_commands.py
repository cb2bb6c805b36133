"""The tank gauge and run ticket commands' rules, on in-memory repositories (no PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from wellflow_contracts.events.production import RunTicketRecorded
from wellflow_contracts.ids import uuid7
from wellflow_production.app.common import Production
from wellflow_production.app.field_data import gauges, run_tickets
from wellflow_servicekit.errors import Conflict, UnprocessableContent
from wellflow_servicekit.kernel import Actor
from wellflow_servicekit.testing import load_test_module

# the test folders are not packages: fakes.py is loaded under a name of its own
fakes = load_test_module(Path(__file__).with_name("fakes.py"), "wellflow_production_unit_fakes")


ORG = UUID("01938a10-0000-7000-8000-00000000000a")
NOW = datetime(2026, 10, 2, 15, tzinfo=UTC)
PUMPER = Actor(id="pumper-1", organization_id=ORG, role="pumper")
# 1.67 bbl per inch: 20 ft = 240 in -> 400.8 bbl
STRAPPING = [["0", "0"], ["120", "200.40"], ["240", "400.80"]]


@pytest.fixture
async def battery() -> dict[str, Any]:
    database = fakes.fake_database()
    lease_id, battery_id = uuid7(), uuid7()
    oil, water = uuid7(), uuid7()
    async with database.unit_of_work(ORG) as uow:
        for tank_id, product in ((oil, "oil"), (water, "water")):
            fakes.InMemoryTankGauges(uow).put_tank(
                {
                    "id": tank_id,
                    "battery_id": battery_id,
                    "lease_id": lease_id,
                    "number": "T1",
                    "product": product,
                    "capacity_bbl": Decimal(400),
                    "strapping": STRAPPING,
                    "active": True,
                }
            )
    return {"database": database, "production": Production(database, clock=lambda: NOW), "oil": oil, "water": water}


def ticket(tank_id: UUID, number: str = "T-100", **changes: Any) -> dict[str, Any]:
    return {
        "ticket_number": number,
        "purchaser": "Plains",
        "tank_id": tank_id,
        "taken_at": NOW,
        "opening_gauge": {"feet": 10, "inches": 0, "quarters": 0},
        "closing_gauge": {"feet": 5, "inches": 0, "quarters": 0},
        "observed_gravity_api": Decimal("40.0"),
        "observed_temperature_f": Decimal("60"),
        "bsw_percent": Decimal("0"),
        **changes,
    }


async def test_a_gauge_converts_its_level_with_the_tank_strapping(battery):
    body = {"tank_id": battery["oil"], "gauged_at": NOW, "feet": 10, "inches": 0}
    outcome = await gauges.record_gauge(battery["production"], PUMPER, body, None)
    assert outcome.status == 201 and outcome.body["barrels"] == "200.40" and outcome.body["tank_number"] == "T1"


async def test_a_gauge_cannot_close_a_day_that_has_not_happened(battery):
    body = {
        "tank_id": battery["oil"],
        "gauged_at": NOW,
        "gauge_date": datetime(2026, 10, 3).date(),
        "feet": 1,
        "inches": 0,
    }
    with pytest.raises(UnprocessableContent) as refused:
        await gauges.record_gauge(battery["production"], PUMPER, body, None)
    assert refused.value.errors[0]["field"] == "body.gauge_date"


async def test_a_run_ticket_is_stored_with_its_two_gauges_and_its_event(battery):
    outcome = await run_tickets.record_run_ticket(battery["production"], PUMPER, ticket(battery["oil"]), None)
    assert outcome.status == 201 and outcome.body["gross_bbl"] == "100.20"
    observed = sorted(battery["database"].stores["tank_gauges"].values(), key=lambda g: g["gauged_at"])
    assert [g["source"] for g in observed] == ["ticket_opening", "ticket_closing"]
    [event] = battery["database"].committed
    assert isinstance(event, RunTicketRecorded) and event.ticket_number == "T-100"


async def test_a_run_ticket_takes_oil_out_of_an_oil_tank(battery):
    with pytest.raises(UnprocessableContent) as water:
        await run_tickets.record_run_ticket(battery["production"], PUMPER, ticket(battery["water"]), None)
    assert "water tank" in water.value.detail
    rising = ticket(battery["oil"], closing_gauge={"feet": 12, "inches": 0})
    with pytest.raises(UnprocessableContent) as refused:
        await run_tickets.record_run_ticket(battery["production"], PUMPER, rising, None)
    assert refused.value.errors[0]["field"] == "body.closing_gauge"
    assert battery["database"].committed == []


async def test_a_purchasers_ticket_number_is_recorded_once(battery):
    await run_tickets.record_run_ticket(battery["production"], PUMPER, ticket(battery["oil"]), None)
    with pytest.raises(Conflict) as duplicate:
        await run_tickets.record_run_ticket(battery["production"], PUMPER, ticket(battery["oil"]), None)
    assert duplicate.value.slug == "duplicate-run-ticket"
    assert len(battery["database"].stores["run_tickets"]) == 1 and len(battery["database"].committed) == 1


async def test_a_retried_gauge_answers_the_first_result(battery):
    body = {"tank_id": battery["oil"], "gauged_at": NOW, "feet": 3, "inches": 6}
    first = await gauges.record_gauge(battery["production"], PUMPER, dict(body), "gauge-1")
    again = await gauges.record_gauge(battery["production"], PUMPER, dict(body), "gauge-1")
    assert again.replayed and again.body == first.body
    assert len(battery["database"].stores["tank_gauges"]) == 1
