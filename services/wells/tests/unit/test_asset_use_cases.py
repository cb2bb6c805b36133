"""Batteries, well tests, permits and the CSV import on in-memory repositories (the same rules are proven
through HTTP on PostgreSQL in tests/integration/test_batteries.py, test_operations.py and test_import.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from wellflow_contracts.events.wells import BatteryConfigured, WellRegistered, WellTestRecorded
from wellflow_servicekit.errors import Conflict, NotFound, UnprocessableContent
from wellflow_wells.app.batteries.configure import configure_battery
from wellflow_wells.app.batteries.connections import connect_well, disconnect_well
from wellflow_wells.app.batteries.queries import tank_volume
from wellflow_wells.app.imports import import_wells
from wellflow_wells.app.leases.register import register_lease
from wellflow_wells.app.operations.equipment import register_equipment
from wellflow_wells.app.operations.permits import list_permits, register_permit
from wellflow_wells.app.operations.well_tests import list_well_tests, record_well_test
from wellflow_wells.app.wells.queries import list_wells
from wellflow_wells.app.wells.register import register_well
from wellflow_wells.domain.strapping import Gauge
from wellflow_wells.entrypoints.schemas import WellCreate

LEASE = {"name": "Ranch A", "rrc_district": "08", "rrc_lease_number": "12345", "lease_type": "oil", "status": "active"}
TANK = {
    "number": "T1",
    "product": "oil",
    "capacity_bbl": Decimal("210"),
    "strapping": [(Decimal(0), Decimal(0)), (Decimal(120), Decimal(200))],
}


async def _well(registry, actor, api="42329000010000", **overrides):
    lease = await register_lease(registry, actor, dict(LEASE))
    body = {"name": "W1", "api_number": api, "lease_id": lease["id"], "well_type": "oil", "purpose": "development"}
    return await register_well(registry, actor, {**body, **overrides})


def _battery(**overrides):
    return {"name": "Ranch A battery", "code": "B1", "tanks": [dict(TANK)], "wells": [], **overrides}


# ---------------------------------------------------------------- batteries


async def test_a_battery_is_configured_with_its_tanks_and_wells_in_one_event(registry, database, manager):
    well = await _well(registry, manager)
    link = {"well_id": well["id"], "effective_from": date(2025, 1, 1)}
    config = await configure_battery(registry, manager, _battery(wells=[link]))
    assert [t["number"] for t in config["tanks"]] == ["T1"]
    assert [(w["well_id"], w["api_number"], w["well_name"]) for w in config["wells"]] == [
        (well["id"], well["api_number"], "W1")
    ]
    event = database.committed[-1]
    assert isinstance(event, BatteryConfigured)
    assert event.tanks[0].strapping == [(Decimal(0), Decimal(0)), (Decimal(120), Decimal(200))]
    assert [w.well_id for w in event.wells] == [well["id"]]
    connected = await list_wells(registry, manager, battery_id=config["id"])
    assert [w["id"] for w in connected.items] == [well["id"]]


async def test_a_strapping_table_may_not_hold_more_than_its_tank(registry, database, manager):
    big = {**TANK, "strapping": [(Decimal(0), Decimal(0)), (Decimal(120), Decimal(400))]}
    with pytest.raises(UnprocessableContent) as refused:
        await configure_battery(registry, manager, _battery(tanks=[big]))
    assert [e["field"] for e in refused.value.errors] == ["body.tanks[0].strapping"]
    assert database.stores.get("batteries", {}) == {}


async def test_a_battery_code_and_a_tank_number_are_used_once(registry, database, manager):
    await configure_battery(registry, manager, _battery())
    with pytest.raises(Conflict) as same_code:
        await configure_battery(registry, manager, _battery(name="Again"))
    assert same_code.value.slug == "duplicate-battery"
    with pytest.raises(Conflict):
        await configure_battery(registry, manager, _battery(code="B2", tanks=[dict(TANK), dict(TANK)]))
    assert len(database.stores["batteries"]) == 1 and len(database.stores["tanks"]) == 1


async def test_a_well_flows_into_one_battery_at_a_time(registry, database, manager):
    well = await _well(registry, manager)
    first = await configure_battery(registry, manager, _battery())
    second = await configure_battery(registry, manager, _battery(name="Second", code="B2"))
    await connect_well(registry, manager, first["id"], well["id"], date(2025, 1, 1), None)
    before = list(database.committed)
    with pytest.raises(Conflict) as clash:
        await connect_well(registry, manager, second["id"], well["id"], date(2025, 3, 1), None)
    assert clash.value.slug == "well-already-connected" and database.committed == before
    with pytest.raises(UnprocessableContent) as too_early:
        await disconnect_well(registry, manager, first["id"], well["id"], date(2025, 1, 1))
    assert [e["field"] for e in too_early.value.errors] == ["body.effective_to"]
    ended = await disconnect_well(registry, manager, first["id"], well["id"], date(2025, 3, 1))
    assert ended["wells"][0]["effective_to"] == date(2025, 3, 1)
    moved = await connect_well(registry, manager, second["id"], well["id"], date(2025, 3, 1), None)
    assert [w["effective_from"] for w in moved["wells"]] == [date(2025, 3, 1)]
    with pytest.raises(NotFound):
        await disconnect_well(registry, manager, first["id"], well["id"], date(2025, 4, 1))


async def test_a_tank_volume_is_read_from_its_strapping_table(registry, manager):
    config = await configure_battery(registry, manager, _battery())
    tank_id = config["tanks"][0]["id"]
    volume = await tank_volume(registry, manager, config["id"], tank_id, Gauge(5, 0, 0))
    assert volume["level_inches"] == Decimal(60) and volume["barrels"] == Decimal(100)
    with pytest.raises(UnprocessableContent):
        await tank_volume(registry, manager, config["id"], tank_id, Gauge(11, 0, 0))


# ---------------------------------------------------------------- well tests, equipment, permits


async def test_a_well_test_is_taken_on_a_testable_well_and_not_in_the_future(registry, database, manager):
    proposed = await _well(registry, manager)
    body = {
        "test_date": date(2025, 6, 1),
        "oil_bbl_per_day": Decimal("42.5"),
        "gas_mcf_per_day": Decimal(110),
        "water_bbl_per_day": Decimal(80),
        "hours": Decimal(24),
        "notes": None,
    }
    with pytest.raises(Conflict) as not_drilled:
        await record_well_test(registry, manager, proposed["id"], body)
    assert "proposed well cannot be tested" in not_drilled.value.detail
    producing = await register_well(
        registry, manager, {**_body_of(proposed), "api_number": "42329000020000", "status": "producing"}
    )
    with pytest.raises(UnprocessableContent):
        await record_well_test(registry, manager, producing["id"], {**body, "test_date": date(2025, 6, 3)})
    await record_well_test(registry, manager, producing["id"], body)
    event = database.committed[-1]
    assert isinstance(event, WellTestRecorded) and event.api_number == "42329000020000"
    assert [
        t["test_date"] for t in (await list_well_tests(registry, manager, producing["id"], limit=5, offset=0)).items
    ] == [date(2025, 6, 1)]


def _body_of(well):
    return {k: well[k] for k in ("name", "lease_id", "well_type", "purpose")}


async def test_equipment_sits_on_a_well_or_battery_of_this_organization(registry, manager, outsider):
    with pytest.raises(UnprocessableContent):
        await register_equipment(registry, manager, {"tag": "PU-1", "equipment_type": "pumping_unit"})
    well = await _well(registry, outsider)
    with pytest.raises(UnprocessableContent) as foreign:
        await register_equipment(registry, manager, {"tag": "PU-1", "equipment_type": "pu", "well_id": well["id"]})
    assert [e["field"] for e in foreign.value.errors] == ["body.well_id"]
    await register_equipment(registry, outsider, {"tag": "PU-1", "equipment_type": "pu", "well_id": well["id"]})
    with pytest.raises(Conflict):
        await register_equipment(registry, outsider, {"tag": "PU-1", "equipment_type": "pu", "well_id": well["id"]})


async def test_permits_expiring_soon_are_those_in_force_soonest_first(registry, manager):
    today = date(2025, 6, 2)

    async def permit(number, status, days):
        body = {"permit_number": number, "permit_type": "drilling", "status": status, "agency": "RRC"}
        await register_permit(registry, manager, {**body, "expiration_date": today + timedelta(days=days)})

    await permit("P-late", "approved", 20)
    await permit("P-soon", "renewed", 3)
    await permit("P-draft", "draft", 3)
    await permit("P-far", "approved", 90)
    await permit("P-gone", "approved", -1)
    page = await list_permits(
        registry,
        manager,
        well_id=None,
        status=None,
        permit_type=None,
        expiring_within_days=30,
        limit=50,
        offset=0,
    )
    assert [p["permit_number"] for p in page.items] == ["P-soon", "P-late"]
    with pytest.raises(Conflict):
        await permit("P-soon", "approved", 5)


# ---------------------------------------------------------------- CSV import


async def test_an_import_keeps_the_good_rows_and_a_rejected_row_changes_nothing(registry, database, manager):
    await register_lease(registry, manager, dict(LEASE))
    csv = (
        "name,api_number,lease_name,well_type,purpose\n"
        "Ranch A 1H,42-329-00001,Ranch A,oil,development\n"
        "Dup of 1H,4232900001,Ranch A,oil,development\n"
        "Ranch A 3H,42-329-00002,Ranch A,oil,development\n"
        "Nowhere,42-329-00003,Nowhere,oil,development\n"
        "Ranch A 2H,42-329-00004,Ranch A,oil,development\n"
    )

    def validate(values):
        return WellCreate.model_validate(values).model_dump()

    report = await import_wells(registry, manager, csv, validate)
    assert (report["created"], report["rejected"]) == (3, 2)
    statuses = {row["row"]: row["status"] for row in report["rows"]}
    assert statuses == {2: "created", 3: "rejected", 4: "created", 5: "rejected", 6: "created"}
    assert report["rows"][1]["errors"] == [{"field": "api_number", "message": "already registered"}]
    assert len(database.stores["wells"]) == 3 and len(database.stores["well_status_history"]) == 3
    assert sum(isinstance(e, WellRegistered) for e in database.committed) == 3
