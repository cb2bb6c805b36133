"""The cross-tenant checker itself: against a small app with deliberately leaking routes it must report
each leak, and stay quiet on a route that refuses properly (a checker that cannot fail proves nothing)."""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from security_checks import TenantData, probe_cross_tenant

A_WELL, A_LEASE, A_FIELD = str(uuid4()), str(uuid4()), str(uuid4())
A_NAME = "Secret Ranch 1H"


class BatteryIn(BaseModel):
    name: str
    lease_id: UUID


class PermitIn(BaseModel):
    well_id: UUID


def leaky_app() -> FastAPI:
    app = FastAPI()

    @app.get("/wells/{well_id}")
    async def get_well(well_id: UUID) -> dict:
        return {"id": str(well_id), "name": A_NAME}  # no tenant check at all

    @app.get("/leases/{lease_id}")
    async def get_lease(lease_id: UUID) -> JSONResponse:
        return JSONResponse({"detail": f"No lease {lease_id}."}, status_code=404)  # correct

    @app.get("/fields/{field_id}")
    async def get_field(field_id: UUID) -> JSONResponse:
        return JSONResponse({"detail": f"Field {field_id} belongs to {A_NAME}."}, status_code=404)

    @app.post("/fields/{field_id}/notes")
    async def note(field_id: UUID) -> JSONResponse:
        return JSONResponse({"detail": "boom"}, status_code=500)

    @app.get("/wells")
    async def list_wells(lease_id: UUID | None = None) -> dict:
        return {"items": [{"id": A_WELL, "lease_id": str(lease_id)}]}  # the filter ignores the organization

    @app.get("/leases")
    async def list_leases(field_id: UUID | None = None) -> dict:
        return {"items": []}  # correct

    @app.post("/batteries", status_code=201)
    async def configure_battery(body: BatteryIn) -> dict:
        return {"id": str(uuid4()), "lease_id": str(body.lease_id)}  # accepts a reference to A's lease

    @app.post("/permits", status_code=201)
    async def register_permit(body: PermitIn) -> JSONResponse:
        return JSONResponse({"detail": f"no well {body.well_id} in this organization"}, status_code=422)  # correct

    return app


async def test_the_checker_reports_every_leaking_route_and_only_those():
    app = leaky_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://leaky") as client:
        victim = TenantData(client, "token-of-a")
        victim.harvest({"id": A_WELL, "lease_id": A_LEASE, "field_id": A_FIELD, "name": A_NAME}, "well")
        victim.names.add(A_NAME)
        report = await probe_cross_tenant(client, app.openapi(), victim, {"authorization": "Bearer token-of-b"})

    problems = {probe.operation: probe.problems for probe in report.probes}
    assert problems["GET /leases/{lease_id}"] == []
    assert problems["GET /leases"] == []
    assert "answered with A's resource" in problems["GET /wells/{well_id}"]
    assert f"A's name {A_NAME!r}" in problems["GET /wells/{well_id}"]
    assert problems["GET /fields/{field_id}"] == [f"A's name {A_NAME!r}"]
    assert problems["POST /fields/{field_id}/notes"] == ["server error"]
    assert set(problems["GET /wells"]) == {f"A's id {A_WELL}", f"A's id {A_LEASE}"}
    assert problems["POST /batteries"] == [f"A's id {A_LEASE}"]
    assert problems["POST /permits"] == []
    assert len(report.failures) == 5
