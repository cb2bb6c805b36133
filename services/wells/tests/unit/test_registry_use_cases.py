"""The registry's rules on in-memory repositories: leases, wells and the status lifecycle.

The same rules are proven through HTTP on PostgreSQL in tests/integration/test_registry.py; here each rule is
one call to the use case, asserting on the stores and the committed events.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wellflow_contracts.events.wells import (
    LeaseRegistered,
    LeaseUpdated,
    WellRegistered,
    WellStatusChanged,
)
from wellflow_servicekit.errors import Conflict, NotFound, UnprocessableContent
from wellflow_wells.app.fields import register_field
from wellflow_wells.app.leases.queries import list_leases
from wellflow_wells.app.leases.register import register_lease
from wellflow_wells.app.leases.update import update_lease
from wellflow_wells.app.wells.queries import get_well, list_wells, status_history
from wellflow_wells.app.wells.register import register_well
from wellflow_wells.app.wells.status import change_status
from wellflow_wells.app.wells.update import update_well

LEASE = {"name": "Ranch A", "rrc_district": "08", "rrc_lease_number": "12345", "lease_type": "oil", "status": "active"}
API = "42501201300300"


def well_body(lease_id, api_number=API, **overrides):
    return {
        "name": "Ranch A 1H",
        "api_number": api_number,
        "lease_id": lease_id,
        "well_type": "oil",
        "purpose": "development",
        **overrides,
    }


def lease_body(**overrides):
    body = {
        "field_id": None,
        "county": None,
        "royalty_rate": None,
        "effective_date": None,
        "expiration_date": None,
        **LEASE,
    }
    return {**body, **overrides}


def errors_of(problem):
    return [e["field"] for e in problem.errors]


# ---------------------------------------------------------------- leases


async def test_a_lease_is_registered_with_its_event(registry, database, manager):
    lease = await register_lease(registry, manager, lease_body(royalty_rate=Decimal("0.1875")))
    assert database.stores["leases"][lease["id"]]["organization_id"] == manager.organization_id
    [event] = database.committed
    assert isinstance(event, LeaseRegistered)
    assert (event.lease_id, event.rrc_lease_number, event.royalty_rate) == (lease["id"], "12345", Decimal("0.1875"))


async def test_a_lease_number_is_unique_in_its_district_only(registry, database, manager, outsider):
    await register_lease(registry, manager, lease_body())
    with pytest.raises(Conflict) as refused:
        await register_lease(registry, manager, lease_body(name="Again"))
    assert refused.value.slug == "duplicate-lease" and errors_of(refused.value) == ["body.rrc_lease_number"]
    await register_lease(registry, manager, lease_body(name="Other district", rrc_district="7C"))
    await register_lease(registry, outsider, lease_body())  # another organization may hold the same number
    for name in ("Pending 1", "Pending 2"):  # numbers not yet assigned do not clash
        await register_lease(registry, manager, lease_body(name=name, rrc_lease_number=None))
    assert len(database.committed) == 5


async def test_a_lease_must_expire_after_it_takes_effect_and_name_a_field_of_this_organization(
    registry, database, manager, outsider
):
    with pytest.raises(UnprocessableContent) as dates:
        await register_lease(
            registry, manager, lease_body(effective_date=date(2025, 1, 1), expiration_date=date(2024, 1, 1))
        )
    assert errors_of(dates.value) == ["body.expiration_date"]
    foreign = await register_field(registry, outsider, {"name": "Spraberry", "code": "F1", "state": "TX"})
    with pytest.raises(UnprocessableContent) as field:
        await register_lease(registry, manager, lease_body(field_id=foreign["id"]))
    assert errors_of(field.value) == ["body.field_id"]
    assert database.stores.get("leases", {}) == {}


async def test_a_lease_update_that_takes_a_used_number_changes_nothing(registry, database, manager):
    await register_lease(registry, manager, lease_body())
    other = await register_lease(registry, manager, lease_body(name="Ranch B", rrc_lease_number="22222"))
    before = len(database.committed)
    with pytest.raises(Conflict) as clash:
        await update_lease(registry, manager, other["id"], {"rrc_lease_number": "12345"})
    assert errors_of(clash.value) == ["body.rrc_lease_number"]
    assert database.stores["leases"][other["id"]]["rrc_lease_number"] == "22222"
    assert len(database.committed) == before
    updated = await update_lease(registry, manager, other["id"], {"status": "held_by_production"})
    assert updated["status"] == "held_by_production" and isinstance(database.committed[-1], LeaseUpdated)


async def test_leases_are_searched_by_name_or_number_and_sorted(registry, manager):
    for name, number in (("West", "3"), ("East", "1"), ("North", "2")):
        await register_lease(registry, manager, lease_body(name=name, rrc_lease_number=number))
    page = await list_leases(registry, manager, sort="-rrc_lease_number")
    assert [lease["name"] for lease in page.items] == ["West", "North", "East"] and page.total == 3
    assert [lease["name"] for lease in (await list_leases(registry, manager, q="nor")).items] == ["North"]
    with pytest.raises(UnprocessableContent) as bad_sort:
        await list_leases(registry, manager, sort="colour")
    assert errors_of(bad_sort.value) == ["query.sort"]


# ---------------------------------------------------------------- wells


async def test_a_well_takes_its_field_and_county_from_its_lease(registry, database, manager):
    field = await register_field(registry, manager, {"name": "Spraberry", "code": "F1", "state": "TX"})
    lease = await register_lease(registry, manager, lease_body(field_id=field["id"], county="Midland"))
    well = await register_well(registry, manager, well_body(lease["id"]))
    assert (well["field_id"], well["county"], well["status"]) == (field["id"], "Midland", "proposed")
    event = database.committed[-1]
    assert isinstance(event, WellRegistered)
    assert (event.rrc_district, event.rrc_lease_number, event.lease_type) == ("08", "12345", "oil")
    history = await status_history(registry, manager, well["id"])
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in history] == [(None, "proposed", "registered")]


async def test_an_api_number_is_registered_once_per_organization(registry, database, manager, outsider):
    lease = await register_lease(registry, manager, lease_body())
    await register_well(registry, manager, well_body(lease["id"]))
    before = list(database.committed)
    with pytest.raises(Conflict) as duplicate:
        await register_well(registry, manager, well_body(lease["id"], name="Dup"))
    assert duplicate.value.slug == "duplicate-api-number" and errors_of(duplicate.value) == ["body.api_number"]
    assert database.committed == before and len(database.stores["wells"]) == 1
    other_lease = await register_lease(registry, outsider, lease_body())
    await register_well(registry, outsider, well_body(other_lease["id"]))


async def test_a_well_goes_on_a_lease_of_this_organization_only(registry, database, manager, outsider):
    lease = await register_lease(registry, manager, lease_body())
    with pytest.raises(UnprocessableContent) as foreign:
        await register_well(registry, outsider, well_body(lease["id"]))
    assert errors_of(foreign.value) == ["body.lease_id"]
    well = await register_well(registry, manager, well_body(lease["id"]))
    with pytest.raises(NotFound):
        await get_well(registry, outsider, well["id"])
    assert (await list_wells(registry, outsider)).total == 0


async def test_only_a_gas_well_has_a_gas_well_id(registry, manager):
    lease = await register_lease(registry, manager, lease_body())
    with pytest.raises(UnprocessableContent) as oil:
        await register_well(registry, manager, well_body(lease["id"], gas_well_id="123456"))
    assert errors_of(oil.value) == ["body.gas_well_id"]
    well = await register_well(registry, manager, well_body(lease["id"], well_type="gas", gas_well_id="123456"))
    with pytest.raises(UnprocessableContent):
        await update_well(registry, manager, well["id"], {"well_type": "oil"})


async def test_a_well_update_cannot_take_another_wells_api_number(registry, database, manager):
    lease = await register_lease(registry, manager, lease_body())
    await register_well(registry, manager, well_body(lease["id"]))
    second = await register_well(registry, manager, well_body(lease["id"], api_number="42501201310000"))
    with pytest.raises(Conflict):
        await update_well(registry, manager, second["id"], {"api_number": API})
    moved = await update_well(registry, manager, second["id"], {"number": "2H"})
    assert moved["number"] == "2H" and database.stores["wells"][second["id"]]["api_number"] == "42501201310000"


# ---------------------------------------------------------------- status lifecycle


async def test_the_status_moves_along_the_lifecycle_and_sets_each_milestone_once(registry, database, manager):
    lease = await register_lease(registry, manager, lease_body())
    well = await register_well(registry, manager, well_body(lease["id"]))
    steps = [
        ("permitted", date(2025, 1, 5)),
        ("spudded", date(2025, 2, 1)),
        ("drilling", date(2025, 2, 2)),
        ("completing", date(2025, 3, 1)),
        ("producing", date(2025, 3, 20)),
        ("shut_in", date(2025, 4, 1)),
        ("producing", date(2025, 4, 9)),
    ]
    for status, day in steps:
        row = await change_status(registry, manager, well["id"], to_status=status, effective_date=day, reason=status)
    assert row["status"] == "producing"
    assert (row["spud_date"], row["completion_date"]) == (date(2025, 2, 1), date(2025, 3, 1))
    assert row["first_production_date"] == date(2025, 3, 20)  # the return to production keeps the first date
    changes = [e for e in database.committed if isinstance(e, WellStatusChanged)]
    assert [(e.from_status, e.to_status) for e in changes][-2:] == [("producing", "shut_in"), ("shut_in", "producing")]
    assert changes[0].changed_by == "manager-1" and changes[0].api_number == API
    history = await status_history(registry, manager, well["id"])
    assert len(history) == 1 + len(steps)


async def test_an_illegal_transition_is_refused_with_the_allowed_ones_and_records_nothing(registry, database, manager):
    lease = await register_lease(registry, manager, lease_body())
    well = await register_well(registry, manager, well_body(lease["id"], status="drilling"))
    before = list(database.committed)
    with pytest.raises(Conflict) as refused:
        await change_status(registry, manager, well["id"], to_status="producing")
    problem = refused.value
    assert problem.slug == "illegal-status-transition" and "drilling to producing" in problem.detail
    assert problem.extensions["allowed"] == ["completing", "temporarily_abandoned", "plugged"]
    assert database.committed == before
    assert database.stores["wells"][well["id"]]["status"] == "drilling"


async def test_plugged_is_final_and_the_effective_date_defaults_to_today(registry, manager):
    lease = await register_lease(registry, manager, lease_body())
    well = await register_well(registry, manager, well_body(lease["id"], status="producing"))
    plugged = await change_status(registry, manager, well["id"], to_status="plugged")
    assert plugged["plugged_date"] == date(2025, 6, 2)
    with pytest.raises(Conflict) as refused:
        await change_status(registry, manager, well["id"], to_status="producing")
    assert refused.value.extensions["allowed"] == []


async def test_a_status_change_on_another_organizations_well_is_not_found(registry, manager, outsider):
    lease = await register_lease(registry, manager, lease_body())
    well = await register_well(registry, manager, well_body(lease["id"]))
    with pytest.raises(NotFound):
        await change_status(registry, outsider, well["id"], to_status="permitted")
