"""The demo's assets in the wells service: the field, leases, wells (with their tests and statuses) and the
two tank batteries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import demo_history as dh
from .demo_client import Api, gather_few

FIELD = {"name": "Spraberry (Trend Area)", "code": "85280300", "basin": "Permian Basin", "county": "Howard"}


async def register_assets(
    api: Api, pumper: Api, history: dh.History, lease_ids: dict[str, str], well_ids: dict[str, str]
) -> dict[str, Any]:
    """Register everything; ``lease_ids`` (by lease key) and ``well_ids`` (by API number) are filled in."""
    field_row = await api.json("register the field", "POST", "/api/v1/fields", json=FIELD)
    for lease in history.leases:
        lease_ids[lease.key] = await _register_lease(api, history, lease, field_row["id"])

    async def register(well: dh.WellPlan) -> None:
        well_id = await _register_well(api, well, lease_ids[well.lease], field_row["id"])
        well_ids[well.api_number] = well_id
        await _well_tests(pumper, history, well, well_id)
        if well.shut_in_on:
            await _shut_in(api, well, well_id)

    await gather_few(register(w) for w in history.wells)
    batteries: dict[str, dict[str, Any]] = {}
    for lease in history.leases:
        if lease.battery is not None:
            batteries[lease.key] = await _battery(api, history, lease, lease_ids, well_ids, field_row["id"])
    return {"leases": lease_ids, "wells": well_ids, "batteries": batteries}


async def _register_lease(api: Api, history: dh.History, lease: dh.LeasePlan, field_id: str) -> str:
    row = await api.json(
        f"register lease {lease.name}",
        "POST",
        "/api/v1/leases",
        json={
            "name": lease.name,
            "rrc_district": lease.rrc_district,
            "rrc_lease_number": lease.rrc_lease_number,
            "lease_type": lease.lease_type,
            "field_id": field_id,
            "county": lease.county,
            "lessor": lease.lessor,
            "royalty_rate": str(lease.royalty_rate),
            "effective_date": (history.first_day - timedelta(days=400)).isoformat(),
        },
    )
    return row["id"]


async def _register_well(api: Api, well: dh.WellPlan, lease_id: str, field_id: str) -> str:
    row = await api.json(
        f"register well {well.name}",
        "POST",
        "/api/v1/wells",
        json={
            "name": well.name,
            "number": well.number,
            "api_number": well.api_number,
            "lease_id": lease_id,
            "field_id": field_id,
            "county": "Howard",
            "well_type": well.well_type,
            "purpose": "development",
            "status": "producing",
            "spud_date": (well.first_day - timedelta(days=45)).isoformat(),
            "completion_date": (well.first_day - timedelta(days=8)).isoformat(),
            "first_production_date": well.first_day.isoformat(),
            "gas_well_id": well.gas_well_id,
            "total_depth_ft": "9850" if well.well_type == "oil" else "8120",
        },
    )
    return row["id"]


async def _well_tests(pumper: Api, history: dh.History, well: dh.WellPlan, well_id: str) -> None:
    """A test three days after first production and one nine days before the last day (or the shut-in)."""
    for test_day in (well.first_day + timedelta(days=3), (well.shut_in_on or history.last_day) - timedelta(days=9)):
        if test_day > history.last_day or test_day < well.first_day:
            continue
        rate = well.rate(test_day)
        oil, gas = (0.0, rate) if well.well_type == "gas" else (rate, rate * well.gas_oil_ratio)
        water = rate * well.water_ratio
        await pumper.call(
            f"record a well test of {well.name}",
            "POST",
            f"/api/v1/wells/{well_id}/tests",
            json={
                "test_date": test_day.isoformat(),
                "oil_bbl_per_day": f"{oil:.2f}",
                "gas_mcf_per_day": f"{gas:.2f}",
                "water_bbl_per_day": f"{water:.2f}",
                "hours": "24",
            },
        )


async def _shut_in(api: Api, well: dh.WellPlan, well_id: str) -> None:
    assert well.shut_in_on is not None
    await api.call(
        f"shut in {well.name}",
        "POST",
        f"/api/v1/wells/{well_id}/status",
        json={
            "status": "shut_in",
            "effective_date": well.shut_in_on.isoformat(),
            "reason": "uneconomic at current oil price; waiting on a rod pump change",
        },
    )


async def _battery(
    api: Api,
    history: dh.History,
    lease: dh.LeasePlan,
    lease_ids: dict[str, str],
    well_ids: dict[str, str],
    field_id: str,
) -> dict[str, Any]:
    """Two oil tanks and a water tank, the lease's wells connected from their first day."""
    tanks = [
        {
            "number": f"{lease.key}-{n}",
            "product": "oil",
            "capacity_bbl": str(dh.TANK_CAPACITY_BBL),
            "strapping": dh.strapping_table(),
        }
        for n in (1, 2)
    ] + [
        {
            "number": f"{lease.key}-W",
            "product": "water",
            "capacity_bbl": "500",
            "strapping": [["0", "0"], ["180", "500"]],
        }
    ]
    connections = [
        {"well_id": well_ids[w.api_number], "effective_from": w.first_day.isoformat()}
        for w in history.wells
        if w.lease == lease.key
    ]
    return await api.json(
        f"configure the {lease.battery} battery",
        "POST",
        "/api/v1/batteries",
        json={
            "name": lease.battery,
            "code": f"CTB-{lease.key}",
            "lease_id": lease_ids[lease.key],
            "field_id": field_id,
            "tanks": tanks,
            "wells": connections,
        },
    )
