"""The reading commands' rules, on in-memory repositories (no PostgreSQL): what a pumper may record, how a
correction names the version it corrects and why, what a retry answers, and what a deletion keeps."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from wellflow_contracts.events.production import ReadingCorrected, ReadingRecorded
from wellflow_contracts.ids import uuid7
from wellflow_production.app.common import Production
from wellflow_production.app.readings import correct, delete, queries, record
from wellflow_servicekit.errors import Conflict, NotFound, Problem, UnprocessableContent
from wellflow_servicekit.kernel import Actor
from wellflow_servicekit.testing import load_test_module

# the test folders are not packages: fakes.py is loaded under a name of its own
fakes = load_test_module(Path(__file__).with_name("fakes.py"), "wellflow_production_unit_fakes")


ORG = UUID("01938a10-0000-7000-8000-00000000000a")
OTHER_ORG = UUID("01938a10-0000-7000-8000-00000000000b")
NOW = datetime(2026, 10, 2, 15, tzinfo=UTC)
DAY = date(2026, 10, 1)
PUMPER = Actor(id="pumper-1", organization_id=ORG, role="pumper")


@pytest.fixture
async def field() -> dict[str, Any]:
    """A production handle on an empty in-memory database, with one producing well registered."""
    database = fakes.fake_database()
    well_id, lease_id = uuid7(), uuid7()
    async with database.unit_of_work(ORG) as uow:
        fakes.InMemoryWells(uow).put(
            {
                "id": well_id,
                "lease_id": lease_id,
                "name": "Ranch A 1",
                "api_number": "42501000010000",
                "status": "producing",
            }
        )
    production = Production(database, clock=lambda: NOW)
    return {"database": database, "production": production, "well_id": well_id, "lease_id": lease_id}


def body(well_id: UUID, day: date = DAY, **values: Any) -> dict[str, Any]:
    return {
        "well_id": well_id,
        "production_date": day,
        "oil_bbl": Decimal("10"),
        "gas_mcf": Decimal("20"),
        "water_bbl": Decimal("5"),
        "hours_on": Decimal("24"),
        **values,
    }


def stored_readings(database: Any) -> list[dict[str, Any]]:
    return list(database.stores.get("readings", {}).values())


async def test_a_reading_is_stored_with_its_event_and_its_lease_month_refreshed(field):
    outcome = await record.record_reading(field["production"], PUMPER, body(field["well_id"]), None)
    assert outcome.status == 201 and not outcome.replayed
    assert outcome.body["version"] == 1 and outcome.body["oil_bbl"] == "10" and outcome.body["warnings"] == []
    [stored] = stored_readings(field["database"])
    assert stored["lease_id"] == field["lease_id"] and stored["recorded_by"] == "pumper-1"
    [event] = field["database"].committed
    assert isinstance(event, ReadingRecorded) and event.values.oil_bbl == Decimal("10")
    assert list(field["database"].stores["rollup_refreshes"]) == [(field["lease_id"], date(2026, 10, 1))]


async def test_a_reading_for_a_day_that_has_not_happened_is_refused(field):
    with pytest.raises(UnprocessableContent) as refused:
        await record.record_reading(field["production"], PUMPER, body(field["well_id"], date(2026, 10, 3)), None)
    assert refused.value.errors[0]["field"] == "body.production_date"
    assert stored_readings(field["database"]) == [] and field["database"].committed == []


async def test_a_reading_for_a_well_production_has_not_heard_of_is_refused(field):
    with pytest.raises(UnprocessableContent) as refused:
        await record.record_reading(field["production"], PUMPER, body(uuid7()), None)
    assert refused.value.slug == "unknown-well"


async def test_a_retry_with_the_same_reading_id_answers_the_first_result(field):
    reading_id = uuid7()
    first = await record.record_reading(
        field["production"], PUMPER, body(field["well_id"], reading_id=reading_id), None
    )
    again = await record.record_reading(
        field["production"], PUMPER, body(field["well_id"], reading_id=reading_id), None
    )
    assert again.replayed and (again.status, again.body) == (first.status, first.body)
    assert len(stored_readings(field["database"])) == 1 and len(field["database"].committed) == 1


async def test_the_same_key_for_a_different_reading_is_a_conflict_naming_what_differs(field):
    await record.record_reading(field["production"], PUMPER, body(field["well_id"]), "key-1")
    with pytest.raises(Conflict) as refused:
        await record.record_reading(field["production"], PUMPER, body(field["well_id"], oil_bbl=Decimal(11)), "key-1")
    assert refused.value.slug == "id-in-use"
    assert [e["field"] for e in refused.value.errors] == ["body.oil_bbl"]
    reading_id = uuid7()
    await record.record_reading(
        field["production"], PUMPER, body(field["well_id"], DAY.replace(day=2), reading_id=reading_id), None
    )
    moved = body(field["well_id"], date(2026, 9, 29), reading_id=reading_id, water_bbl=Decimal("5.000"))
    with pytest.raises(Conflict) as other_day:
        await record.record_reading(field["production"], PUMPER, moved, None)
    assert [e["field"] for e in other_day.value.errors] == ["body.production_date"]


async def test_a_second_reading_for_the_same_well_and_day_is_a_conflict_naming_the_first(field):
    first = await record.record_reading(field["production"], PUMPER, body(field["well_id"]), None)
    with pytest.raises(Conflict) as clash:
        await record.record_reading(field["production"], PUMPER, body(field["well_id"], oil_bbl=Decimal(3)), None)
    assert clash.value.slug == "duplicate-reading"
    assert clash.value.extensions["reading_id"] == first.body["reading_id"]


async def test_implausible_volumes_need_confirmation(field):
    with pytest.raises(UnprocessableContent) as refused:
        await record.record_reading(field["production"], PUMPER, body(field["well_id"], oil_bbl=Decimal(5000)), None)
    assert refused.value.slug == "confirmation-required" and stored_readings(field["database"]) == []
    confirmed = body(field["well_id"], oil_bbl=Decimal(5000), confirm=True)
    assert (await record.record_reading(field["production"], PUMPER, confirmed, None)).status == 201


async def _recorded(field: dict[str, Any]) -> UUID:
    outcome = await record.record_reading(field["production"], PUMPER, body(field["well_id"]), None)
    return UUID(outcome.body["reading_id"])


async def test_a_correction_needs_the_version_it_corrects(field):
    reading_id = await _recorded(field)
    with pytest.raises(Problem) as missing:
        await correct.correct_reading(
            field["production"],
            PUMPER,
            reading_id,
            expected_version=None,
            changes={"oil_bbl": 9},
            reason="typo",
            confirm=False,
        )
    assert missing.value.status == 428 and missing.value.extensions["current_version"] == 1
    with pytest.raises(Conflict) as stale:
        await correct.correct_reading(
            field["production"],
            PUMPER,
            reading_id,
            expected_version=7,
            changes={"oil_bbl": 9},
            reason="typo",
            confirm=False,
        )
    assert stale.value.slug == "version-conflict" and stale.value.extensions["current"]["version"] == 1


async def test_a_correction_that_changes_nothing_is_refused(field):
    reading_id = await _recorded(field)
    with pytest.raises(UnprocessableContent) as refused:
        await correct.correct_reading(
            field["production"],
            PUMPER,
            reading_id,
            expected_version=1,
            changes={"oil_bbl": Decimal("10")},
            reason="no change",
            confirm=False,
        )
    assert refused.value.slug == "no-change"


async def test_a_correction_keeps_the_previous_values_who_and_why(field):
    reading_id = await _recorded(field)
    corrected = await correct.correct_reading(
        field["production"],
        PUMPER,
        reading_id,
        expected_version=1,
        changes={"oil_bbl": Decimal("12.5")},
        reason="meter misread",
        confirm=False,
    )
    assert corrected["version"] == 2 and corrected["oil_bbl"] == "12.5"
    history = await queries.history(field["production"], PUMPER, reading_id)
    [change] = history["changes"]
    assert change["kind"] == "corrected" and change["reason"] == "meter misread" and change["changed_by"] == "pumper-1"
    assert change["previous"]["oil_bbl"] == "10" and change["current"]["oil_bbl"] == "12.5"
    event = field["database"].committed[-1]
    assert isinstance(event, ReadingCorrected) and event.previous.oil_bbl == Decimal(10) and event.version == 2


async def test_a_deleted_reading_is_gone_but_its_values_stay_in_its_history(field):
    reading_id = await _recorded(field)
    manager = Actor(id="manager-1", organization_id=ORG, role="manager")
    with pytest.raises(Conflict):
        await delete.delete_reading(field["production"], manager, reading_id, expected_version=3, reason="duplicate")
    await delete.delete_reading(field["production"], manager, reading_id, expected_version=1, reason="duplicate")
    with pytest.raises(NotFound):
        await queries.get_reading(field["production"], manager, reading_id)
    history = await queries.history(field["production"], manager, reading_id)
    assert history["current"] is None and history["changes"][0]["kind"] == "deleted"
    event = field["database"].committed[-1]
    assert isinstance(event, ReadingCorrected) and event.deleted and event.values.oil_bbl == 0


async def test_another_organizations_reading_is_not_there(field):
    reading_id = await _recorded(field)
    stranger = Actor(id="someone", organization_id=OTHER_ORG)
    with pytest.raises(NotFound):
        await queries.get_reading(field["production"], stranger, reading_id)


def test_the_fake_unit_of_work_offers_what_the_reading_commands_use():
    assert {"wells", "readings", "idempotency", "organization", "lease_months"} <= set(vars(fakes.FakeProductionWork))
