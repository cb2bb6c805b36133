"""Identity, wells, production and the gateway together: the asset registry reaches production over NATS,
a pumper records readings through the gateway and a manager sees them in the lease's series."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from e2e_waiting import NotYet

from wellflow_servicekit.testing import until


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_readings_recorded_through_the_gateway_show_in_the_lease_series(gateway: httpx.AsyncClient, sign_up):
    owner = (await sign_up("Permian Production"))["access_token"]
    auth = _bearer(owner)
    lease = await gateway.post(
        "/api/v1/leases",
        headers=auth,
        json={"name": "Ranch B", "rrc_district": "08", "rrc_lease_number": "23456", "lease_type": "oil"},
    )
    assert lease.status_code == 201, lease.text
    lease_id = lease.json()["id"]
    wells = []
    for n, api in enumerate(("42-329-22345", "42-329-22347")):
        well = await gateway.post(
            "/api/v1/wells",
            headers=auth,
            json={
                "name": f"Ranch B {n + 1}",
                "api_number": api,
                "lease_id": lease_id,
                "well_type": "oil",
                "purpose": "development",
                "status": "producing",
            },
        )
        assert well.status_code == 201, well.text
        wells.append(well.json()["id"])
    battery = await gateway.post(
        "/api/v1/batteries",
        headers=auth,
        json={
            "name": "Ranch B TB",
            "lease_id": lease_id,
            "tanks": [{"number": "1", "capacity_bbl": "400", "strapping": [["0", "0"], ["240", "400.8"]]}],
            "wells": [{"well_id": w, "effective_from": "2026-01-01"} for w in wells],
        },
    )
    assert battery.status_code == 201, battery.text

    day = date.today() - timedelta(days=3)

    reading = {
        "well_id": wells[0],
        "production_date": day.isoformat(),
        "oil_bbl": "12.5",
        "gas_mcf": "30",
        "water_bbl": "4",
        "hours_on": "24",
        "reading_id": "0193a000-0000-7000-8000-000000000001",
    }

    async def recorded():
        answer = await gateway.post("/api/v1/readings", headers=auth, json=reading)
        return NotYet(answer.text) if answer.status_code == 422 and "not known" in answer.text else answer

    first = await until(recorded, 20, "production to learn the well", every=0.2)  # the well reaches it over NATS
    assert first.status_code == 201, first.text
    retry = await gateway.post("/api/v1/readings", headers=auth, json=reading)
    assert retry.status_code == 201 and retry.json() == first.json()
    second = await gateway.post(
        "/api/v1/readings",
        headers=auth,
        json={
            "well_id": wells[1],
            "production_date": day.isoformat(),
            "oil_bbl": "7.5",
            "gas_mcf": "10",
            "water_bbl": "1",
            "hours_on": "24",
        },
    )
    assert second.status_code == 201, second.text

    month = day.replace(day=1).isoformat()
    series = await gateway.get(f"/api/v1/production/leases/{lease_id}/monthly", headers=auth, params={"from": month})
    assert series.status_code == 200, series.text
    assert [(p["month"], p["oil_bbl"]) for p in series.json()["points"]] == [(month, "20.000")]
    daily = await gateway.get(f"/api/v1/production/wells/{wells[1]}/daily", headers=auth, params={"from": month})
    assert [p["oil_bbl"] for p in daily.json()["points"]] == ["7.500"]

    other = (await sign_up("Other Operator"))["access_token"]
    hidden = await gateway.get(f"/api/v1/production/leases/{lease_id}/monthly", headers=_bearer(other))
    assert hidden.status_code == 404
