"""Well tests (a pumper records them), equipment and permits (expiring-soon query)."""

from __future__ import annotations

import json
from datetime import date, timedelta


async def test_a_pumper_records_a_well_test_with_its_event(wells):
    lease = await wells.lease()
    well = await wells.well(lease["id"], "42-329-00001", status="producing")
    body = {"test_date": "2025-05-01", "oil_bbl_per_day": "42.5", "gas_mcf_per_day": "110", "water_bbl_per_day": "80"}
    recorded = await wells.post(f"/api/v1/wells/{well['id']}/tests", body, role="pumper")
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["hours"] == "24.00" and recorded.json()["oil_bbl_per_day"] == "42.50"
    listed = await wells.get(f"/api/v1/wells/{well['id']}/tests", role="auditor")
    assert [t["test_date"] for t in listed.json()["items"]] == ["2025-05-01"]

    payload = json.loads((await wells.owner_query("SELECT payload FROM outbox ORDER BY id DESC LIMIT 1"))[0][0])
    data = payload
    assert data["type"] == "wells.well_test_recorded.v1"
    assert data["api_number"] == "42329000010000" and data["oil_bbl_per_day"] == "42.50"
    assert (await wells.outbox_types())[-1] == "wells.well_test_recorded.v1"

    refused = await wells.post(f"/api/v1/wells/{well['id']}/tests", body, role="auditor")
    assert refused.status_code == 403


async def test_bad_well_tests_are_refused_and_write_nothing(wells):
    lease = await wells.lease()
    proposed = await wells.well(lease["id"], "42-329-00001")
    producing = await wells.well(lease["id"], "42-329-00002", status="producing")
    before = await wells.owner_query("SELECT count(*) FROM outbox")
    good = {"test_date": "2025-05-01", "oil_bbl_per_day": "1", "gas_mcf_per_day": "1", "water_bbl_per_day": "1"}
    not_drilled = await wells.post(f"/api/v1/wells/{proposed['id']}/tests", good, role="pumper")
    assert not_drilled.status_code == 409 and "proposed well cannot be tested" in not_drilled.json()["detail"]
    future = (date.today() + timedelta(days=2)).isoformat()
    for body, field in [
        ({**good, "oil_bbl_per_day": "-1"}, "body.oil_bbl_per_day"),
        ({**good, "hours": "0"}, "body.hours"),
        ({**good, "hours": "100"}, "body.hours"),
        ({**good, "test_date": future}, "body.test_date"),
    ]:
        response = await wells.post(f"/api/v1/wells/{producing['id']}/tests", body, role="pumper")
        assert response.status_code == 422, (field, response.text)
        assert field in [e["field"] for e in response.json()["errors"]]
    assert await wells.owner_query("SELECT count(*) FROM outbox") == before


async def test_equipment_on_a_well_and_maintenance_due(wells):
    lease = await wells.lease()
    well = await wells.well(lease["id"], "42-329-00001", status="producing")
    unit = {"tag": "PU-1", "equipment_type": "pumping_unit", "manufacturer": "Lufkin", "serial_number": "L-99"}
    created = await wells.post(
        "/api/v1/equipment", {**unit, "well_id": well["id"], "next_maintenance_date": "2025-07-01"}
    )
    assert created.status_code == 201, created.text
    again = await wells.post("/api/v1/equipment", {**unit, "well_id": well["id"]})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "body.tag"
    nowhere = await wells.post("/api/v1/equipment", {**unit, "tag": "PU-2"})
    assert nowhere.status_code == 422 and nowhere.json()["errors"][0]["field"] == "body.well_id"
    due = await wells.get("/api/v1/equipment", role="pumper", maintenance_due_by="2025-07-31")
    assert [e["tag"] for e in due.json()["items"]] == ["PU-1"]
    assert (await wells.get("/api/v1/equipment", maintenance_due_by="2025-06-30")).json()["items"] == []
    assert (await wells.get(f"/api/v1/equipment/{created.json()['id']}", org=wells.org_b)).status_code == 404


async def test_permits_expiring_soon(wells):
    lease = await wells.lease()
    well = await wells.well(lease["id"], "42-329-00001")
    today = date.today()

    async def permit(number: str, status: str, expires_in: int | None) -> None:
        body = {"permit_number": number, "permit_type": "drilling", "status": status, "well_id": well["id"]}
        if expires_in is not None:
            body["expiration_date"] = (today + timedelta(days=expires_in)).isoformat()
        response = await wells.post("/api/v1/permits", body)
        assert response.status_code == 201, response.text

    await permit("P-30", "approved", 30)
    await permit("P-10", "renewed", 10)
    await permit("P-90", "approved", 90)
    await permit("P-PAST", "approved", -1)
    await permit("P-DENIED", "denied", 5)
    await permit("P-OPEN", "submitted", None)
    soon = await wells.get("/api/v1/permits", role="pumper", expiring_within_days=60)
    assert [p["permit_number"] for p in soon.json()["items"]] == ["P-10", "P-30"]
    assert (await wells.get("/api/v1/permits")).json()["total"] == 6
    duplicate = await wells.post("/api/v1/permits", {"permit_number": "P-10", "permit_type": "drilling"})
    assert duplicate.status_code == 409
    bad = await wells.post("/api/v1/permits", {"permit_number": "X", "permit_type": "fishing"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.permit_type"
