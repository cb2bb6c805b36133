"""Form P-4 purchasers and gatherers on a lease, and a well's drilling permit number: validated, stored, carried
by the lease and well events."""

from __future__ import annotations

import json

OIL_PURCHASER = {"product": "oil", "role": "purchaser", "name": "Plains Marketing", "p5_number": "667884"}
GAS_GATHERER = {
    "product": "casinghead_gas",
    "role": "gatherer",
    "name": "Targa Midstream",
    "p5_number": "835561",
    "effective_from": "2026-01-01",
}


async def last_payload(wells) -> dict:
    return json.loads((await wells.owner_query("SELECT payload FROM outbox ORDER BY id DESC LIMIT 1"))[0][0])


async def test_purchasers_are_stored_shown_and_carried_by_the_lease_events(wells):
    lease = await wells.lease(purchasers=[OIL_PURCHASER, GAS_GATHERER])
    assert [p["name"] for p in lease["purchasers"]] == ["Plains Marketing", "Targa Midstream"]
    assert lease["purchasers"][1]["effective_from"] == "2026-01-01"
    event = await last_payload(wells)
    assert event["type"] == "wells.lease_registered.v1"
    assert event["purchasers"][0] == {**OIL_PURCHASER, "effective_from": None, "effective_to": None}

    changed = await wells.client.patch(
        f"/api/v1/leases/{lease['id']}", json={"purchasers": [GAS_GATHERER]}, headers=wells.as_role("manager")
    )
    assert changed.status_code == 200, changed.text
    assert [p["name"] for p in changed.json()["purchasers"]] == ["Targa Midstream"]
    event = await last_payload(wells)
    assert event["type"] == "wells.lease_updated.v1" and len(event["purchasers"]) == 1

    renamed = await wells.client.patch(
        f"/api/v1/leases/{lease['id']}", json={"name": "Ranch A East"}, headers=wells.as_role("manager")
    )
    assert [p["name"] for p in renamed.json()["purchasers"]] == ["Targa Midstream"]  # kept when not sent


async def test_bad_purchasers_are_422_naming_the_field_and_change_nothing(wells):
    before = await wells.owner_query("SELECT count(*) FROM outbox")
    cases = [
        ({**OIL_PURCHASER, "p5_number": "12345"}, "p5_number"),
        ({**OIL_PURCHASER, "p5_number": "\u0661\u0662\u0663\u0664\u0665\u0666"}, "p5_number"),
        ({**OIL_PURCHASER, "product": "water"}, "product"),
        ({**OIL_PURCHASER, "role": "hauler"}, "role"),
        ({**OIL_PURCHASER, "name": ""}, "name"),
        ({**OIL_PURCHASER, "effective_from": "2026-02-01", "effective_to": "2026-01-01"}, "purchasers[0]"),
    ]
    for item, field in cases:
        body = {"name": "L", "rrc_district": "08", "lease_type": "oil", "purchasers": [item]}
        response = await wells.post("/api/v1/leases", body)
        assert response.status_code == 422, response.text
        fields = [e["field"] for e in response.json()["errors"]]
        assert any(f.startswith("body.purchasers[0]") and field in f for f in fields), fields
    assert await wells.owner_query("SELECT count(*) FROM outbox") == before


async def test_the_wells_permit_number_is_kept_and_published(wells):
    lease = await wells.lease(rrc_lease_number=None)
    body = {
        "name": "New 1",
        "api_number": "42-501-20130",
        "lease_id": lease["id"],
        "well_type": "oil",
        "purpose": "development",
        "permit_number": "876543",
    }
    response = await wells.post("/api/v1/wells", body)
    assert response.status_code == 201, response.text
    assert response.json()["permit_number"] == "876543"
    assert (await last_payload(wells))["permit_number"] == "876543"
    bad = await wells.post("/api/v1/wells", {**body, "api_number": "42-501-20131", "permit_number": "12A"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.permit_number"
