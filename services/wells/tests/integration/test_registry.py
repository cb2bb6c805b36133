"""Fields, leases and wells through the API on real PostgreSQL: the rules, the events, the tenancy."""

from __future__ import annotations

import json

from sqlalchemy.ext.asyncio import create_async_engine

from wellflow_servicekit.migrations import find_rls_gaps, runtime_role_problems

API = "42-501-20130-03-00"


async def test_register_field_lease_and_well_and_read_them_back(wells):
    field = await wells.post("/api/v1/fields", {"name": "Spraberry Trend", "code": "85279001", "county": "Midland"})
    assert field.status_code == 201, field.text
    lease = await wells.lease(field_id=field.json()["id"], county="Midland", royalty_rate="0.1875")
    assert lease["rrc_district"] == "08" and lease["royalty_rate"] == "0.18750000"
    assert lease["rrc_lease_number_pending"] is False

    well = await wells.well(lease["id"], "4250120130")
    assert well["api_number"] == "42-501-20130-00-00"
    assert well["api_number_digits"] == "42501201300000"
    assert well["status"] == "proposed" and well["allowed_next_statuses"] == ["permitted", "permanently_abandoned"]
    assert well["field_id"] == field.json()["id"] and well["county"] == "Midland"  # from the lease

    read = await wells.get(f"/api/v1/wells/{well['id']}", role="pumper")
    assert read.status_code == 200 and read.json() == well

    assert await wells.outbox_types() == [
        "wells.field_registered.v1",
        "wells.lease_registered.v1",
        "wells.well_registered.v1",
    ]
    payload = json.loads((await wells.owner_query("SELECT payload FROM outbox ORDER BY id DESC LIMIT 1"))[0][0])
    data = payload
    assert data["api_number"] == "42501201300000"
    assert data["rrc_district"] == "08" and data["rrc_lease_number"] == "12345" and data["lease_type"] == "oil"
    assert data["status"] == "proposed"


async def test_a_pending_lease_number_is_allowed_and_shown_as_pending(wells):
    lease = await wells.lease(rrc_lease_number=None, lease_type="gas", rrc_district="7c")
    assert lease["rrc_lease_number"] is None and lease["rrc_lease_number_pending"] is True
    assert lease["rrc_district"] == "7C"


async def test_status_lifecycle_history_and_illegal_transition(wells):
    lease = await wells.lease()
    well = await wells.well(lease["id"], API)
    path = f"/api/v1/wells/{well['id']}/status"
    for status, day in [("permitted", "2025-01-05"), ("spudded", "2025-02-01"), ("drilling", "2025-02-02")]:
        response = await wells.post(path, {"status": status, "effective_date": day, "reason": f"to {status}"})
        assert response.status_code == 200, response.text
    assert response.json()["spud_date"] == "2025-02-01"

    before = await wells.outbox_types()
    refused = await wells.post(path, {"status": "producing"})
    assert refused.status_code == 409
    problem = refused.json()
    assert refused.headers["content-type"] == "application/problem+json"
    assert problem["allowed"] == ["completing", "temporarily_abandoned", "plugged"]
    assert "drilling to producing" in problem["detail"]
    assert await wells.outbox_types() == before  # nothing recorded for the refused change

    history = await wells.get(f"/api/v1/wells/{well['id']}/status-history", role="pumper")
    assert [(h["from_status"], h["to_status"]) for h in history.json()] == [
        (None, "proposed"),
        ("proposed", "permitted"),
        ("permitted", "spudded"),
        ("spudded", "drilling"),
    ]
    assert history.json()[2]["effective_date"] == "2025-02-01" and history.json()[2]["reason"] == "to spudded"
    assert before.count("wells.well_status_changed.v1") == 3


async def test_plugged_is_final(wells):
    lease = await wells.lease()
    well = await wells.well(lease["id"], API, status="producing")
    path = f"/api/v1/wells/{well['id']}/status"
    assert (await wells.post(path, {"status": "plugged", "effective_date": "2025-03-01"})).json()[
        "plugged_date"
    ] == "2025-03-01"
    refused = await wells.post(path, {"status": "producing"})
    assert refused.status_code == 409 and refused.json()["allowed"] == []


async def test_api_number_is_unique_per_organization_only(wells):
    lease = await wells.lease()
    await wells.well(lease["id"], API)
    again = await wells.post(
        "/api/v1/wells",
        {
            "name": "Dup",
            "api_number": "42501201300300",
            "lease_id": lease["id"],
            "well_type": "oil",
            "purpose": "development",
        },
    )
    assert again.status_code == 409
    assert [e["field"] for e in again.json()["errors"]] == ["body.api_number"]
    other_lease = await wells.lease(org=wells.org_b)
    await wells.well(other_lease["id"], API, org=wells.org_b)  # another tenant may hold the same number


async def test_another_tenants_well_is_not_found(wells):
    lease = await wells.lease()
    well = await wells.well(lease["id"], API)
    for path in (f"/api/v1/wells/{well['id']}", f"/api/v1/wells/{well['id']}/status-history"):
        response = await wells.get(path, org=wells.org_b)
        assert response.status_code == 404, response.text
    moved = await wells.post(f"/api/v1/wells/{well['id']}/status", {"status": "permitted"}, org=wells.org_b)
    assert moved.status_code == 404
    listed = await wells.get("/api/v1/wells", org=wells.org_b)
    assert listed.json()["items"] == [] and listed.json()["total"] == 0
    # and a well cannot be put on another tenant's lease
    foreign = await wells.post(
        "/api/v1/wells",
        {
            "name": "X",
            "api_number": "42-003-00001",
            "lease_id": lease["id"],
            "well_type": "oil",
            "purpose": "development",
        },
        org=wells.org_b,
    )
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "body.lease_id"


async def test_permissions_pumper_reads_but_cannot_manage(wells):
    lease = await wells.lease()
    body = {"name": "P", "api_number": API, "lease_id": lease["id"], "well_type": "oil", "purpose": "development"}
    for role in ("pumper", "accountant", "auditor"):
        response = await wells.post("/api/v1/wells", body, role=role)
        assert response.status_code == 403, (role, response.text)
        assert response.json()["resource"] == "wells"
    assert (
        await wells.post("/api/v1/leases", {"name": "L", "rrc_district": "08", "lease_type": "oil"}, role="pumper")
    ).status_code == 403
    assert (await wells.get("/api/v1/leases", role="pumper")).status_code == 200
    assert (await wells.post("/api/v1/wells", body, role="owner")).status_code == 201
    assert (await wells.client.get("/api/v1/wells")).status_code == 401


async def test_bad_input_names_the_field_and_writes_nothing(wells):
    lease = await wells.lease()
    before = await wells.owner_query("SELECT count(*) FROM outbox")
    good = {"name": "W", "api_number": API, "lease_id": lease["id"], "well_type": "oil", "purpose": "development"}
    cases = [
        ({**good, "api_number": "42-502-20130"}, 422, "body.api_number", "even"),
        ({**good, "api_number": "77-501-20130"}, 422, "body.api_number", "state code 77"),
        ({**good, "api_number": "42-501-2013"}, 422, "body.api_number", "9 digits"),
        ({**good, "api_number": "42-501-2013\u00b2"}, 422, "body.api_number", "not one of the digits 0-9"),
        ({**good, "api_number": "\u0664\u0662-501-20130"}, 422, "body.api_number", "not one of the digits 0-9"),
        ({**good, "api_number": "42 501 20130"}, 422, "body.api_number", "space inside"),
        ({**good, "api_number": "50120130"}, 422, "body.api_number", "8 digits"),
        ({**good, "well_type": "unicorn"}, 422, "body.well_type", ""),
        ({**good, "purpose": None}, 422, "body.purpose", ""),
        ({**good, "status": "flowing"}, 422, "body.status", ""),
        ({**good, "surface_latitude": "91"}, 422, "body.surface_latitude", ""),
        ({**good, "gas_well_id": "123456"}, 422, "body.gas_well_id", "only a gas well"),
        ({**good, "lease_id": "01938a10-0000-7000-8000-000000000999"}, 422, "body.lease_id", "no lease"),
        ({**good, "colour": "red"}, 422, "body.colour", ""),
    ]
    for body, status, field, words in cases:
        response = await wells.post("/api/v1/wells", body)
        assert response.status_code == status, (field, response.text)
        problem = response.json()
        assert field in [e["field"] for e in problem["errors"]], problem
        assert words in json.dumps(problem), problem
    lease_cases = [
        ({"name": "L", "rrc_district": "11", "lease_type": "oil"}, "body.rrc_district"),
        ({"name": "L", "rrc_district": "08", "lease_type": "water"}, "body.lease_type"),
        ({"name": "L", "rrc_district": "08", "lease_type": "oil", "royalty_rate": "1.5"}, "body.royalty_rate"),
        (
            {"name": "L", "rrc_district": "08", "lease_type": "oil", "rrc_lease_number": "1234567"},
            "body.rrc_lease_number",
        ),
        (
            {
                "name": "L",
                "rrc_district": "08",
                "lease_type": "oil",
                "effective_date": "2025-01-01",
                "expiration_date": "2024-01-01",
            },
            "body.expiration_date",
        ),
    ]
    for body, field in lease_cases:
        response = await wells.post("/api/v1/leases", body)
        assert response.status_code == 422, (field, response.text)
        assert field in [e["field"] for e in response.json()["errors"]]
    assert await wells.owner_query("SELECT count(*) FROM outbox") == before
    assert (await wells.get("/api/v1/wells")).json()["total"] == 0
    assert (await wells.get("/api/v1/leases")).json()["total"] == 1


async def test_updates_record_events_and_a_failed_update_records_none(wells):
    lease = await wells.lease()
    other = await wells.lease(rrc_lease_number="22222", name="Ranch B")
    well = await wells.well(lease["id"], API)
    patched = await wells.client.patch(
        f"/api/v1/wells/{well['id']}", json={"lease_id": other["id"], "number": "2H"}, headers=wells.as_role("owner")
    )
    assert patched.status_code == 200 and patched.json()["lease_id"] == other["id"]
    lease_patch = await wells.client.patch(
        f"/api/v1/leases/{lease['id']}", json={"status": "held_by_production"}, headers=wells.as_role("manager")
    )
    assert lease_patch.status_code == 200 and lease_patch.json()["status"] == "held_by_production"
    before = await wells.outbox_types()
    assert before[-2:] == ["wells.well_updated.v1", "wells.lease_updated.v1"]
    clash = await wells.client.patch(
        f"/api/v1/leases/{other['id']}", json={"rrc_lease_number": "12345"}, headers=wells.as_role("manager")
    )
    assert clash.status_code == 409 and clash.json()["errors"][0]["field"] == "body.rrc_lease_number"
    assert await wells.outbox_types() == before
    assert (await wells.get(f"/api/v1/leases/{other['id']}")).json()["rrc_lease_number"] == "22222"


async def test_every_table_has_forced_rls_and_the_runtime_role_is_plain(wells):
    owner = create_async_engine(wells.owner_url)
    runtime = create_async_engine(wells.runtime_url)
    try:
        async with owner.connect() as conn:
            assert await find_rls_gaps(conn) == []
        async with runtime.connect() as conn:
            assert await runtime_role_problems(conn) == []
    finally:
        await owner.dispose()
        await runtime.dispose()


async def test_asyncapi_lists_every_wells_event(wells):
    document = (await wells.client.get("/asyncapi.json")).text
    for event in (
        "wells.field_registered.v1",
        "wells.lease_registered.v1",
        "wells.lease_updated.v1",
        "wells.well_registered.v1",
        "wells.well_updated.v1",
        "wells.well_status_changed.v1",
        "wells.battery_configured.v1",
        "wells.well_test_recorded.v1",
    ):
        assert event in document, event
