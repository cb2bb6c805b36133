"""Every error answers RFC 9457 problem details, with the request path and request id."""

from __future__ import annotations

import logging
from typing import Annotated

import pytest
from fastapi import APIRouter, FastAPI, HTTPException, Query
from pydantic import BaseModel, Field

from wellflow_servicekit.http import create_app
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.problems import (
    PROBLEM_CONTENT_TYPE,
    Conflict,
    NotFound,
    Problem,
    TooManyRequests,
    Unauthorized,
    install_problem_handlers,
)
from wellflow_servicekit.settings import ServiceSettings

from .conftest import running


class Reading(BaseModel):
    oil_bbl: float = Field(ge=0)
    water_bbl: float = Field(ge=0)


class DailyReport(BaseModel):
    well: str
    pumper_pin: str
    readings: list[Reading]


router = APIRouter(prefix="/api/v1")


@router.get("/wells/{well_id}")
async def get_well(well_id: int) -> dict[str, int]:
    if well_id == 404:
        raise NotFound(f"No well {well_id} in this organization.")
    if well_id == 409:
        raise Conflict("Well 409 is plugged.", slug="well-status-transition", allowed=["plugged"])
    if well_id == 429:
        raise TooManyRequests("Slow down.", retry_after=17)
    if well_id == 401:
        raise Unauthorized("The access token has expired.")
    if well_id == 410:
        raise HTTPException(status_code=410, detail="Well 410 was archived.")
    if well_id == 500:
        raise RuntimeError("password=hunter2 leaked from a driver")
    return {"id": well_id}


@router.post("/reports")
async def post_report(report: DailyReport, limit: Annotated[int, Query(le=500)] = 100) -> dict[str, str]:
    return {"well": report.well}


@pytest.fixture
def app(settings: ServiceSettings) -> FastAPI:
    return create_app(settings=settings, title="wells", version="1", metrics=Metrics(), routers=[router])


def assert_problem(response, status: int, slug: str, path: str) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["type"] == f"https://wellflow.dev/problems/{slug}"
    assert body["status"] == status
    assert body["title"]
    assert body["instance"] == path
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_a_raised_problem_is_rendered_with_its_type_and_detail(app: FastAPI) -> None:
    async with running(app) as client:
        response = await client.get("/api/v1/wells/404", headers={"X-Request-ID": "req-abc-123"})
    body = assert_problem(response, 404, "not-found", "/api/v1/wells/404")
    assert body["detail"] == "No well 404 in this organization."
    assert body["request_id"] == "req-abc-123"


async def test_a_conflict_carries_its_own_slug_and_extension_members(app: FastAPI) -> None:
    async with running(app) as client:
        response = await client.get("/api/v1/wells/409")
    body = assert_problem(response, 409, "well-status-transition", "/api/v1/wells/409")
    assert body["allowed"] == ["plugged"]


async def test_rate_limit_and_auth_problems_carry_their_headers(app: FastAPI) -> None:
    async with running(app) as client:
        limited = await client.get("/api/v1/wells/429")
        unauthorized = await client.get("/api/v1/wells/401")
    assert assert_problem(limited, 429, "too-many-requests", "/api/v1/wells/429")["retry_after"] == 17
    assert limited.headers["retry-after"] == "17"
    assert_problem(unauthorized, 401, "unauthorized", "/api/v1/wells/401")
    assert unauthorized.headers["www-authenticate"] == (
        'Bearer realm="wellflow", error="invalid_token", error_description="The access token has expired."'
    )


async def test_validation_errors_name_each_offending_field_without_echoing_values(app: FastAPI) -> None:
    report = {
        "well": "42-123-45678",
        "pumper_pin": "9911-secret",
        "readings": [{"oil_bbl": 3, "water_bbl": 1}, {"oil_bbl": -2}],
    }
    async with running(app) as client:
        response = await client.post("/api/v1/reports?limit=9000", json=report)
    body = assert_problem(response, 422, "validation-error", "/api/v1/reports")
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert set(fields) == {"query.limit", "body.readings[1].oil_bbl", "body.readings[1].water_bbl"}
    assert "less than or equal to 500" in fields["query.limit"]
    assert fields["body.readings[1].water_bbl"] == "Field required"
    assert "body.readings[1].oil_bbl" in body["detail"]
    assert "9911-secret" not in response.text


async def test_malformed_json_is_a_validation_problem_on_the_body(app: FastAPI) -> None:
    async with running(app) as client:
        response = await client.post(
            "/api/v1/reports", content=b'{"well": ', headers={"Content-Type": "application/json"}
        )
    body = assert_problem(response, 422, "validation-error", "/api/v1/reports")
    assert body["errors"][0]["field"] == "body"
    assert body["errors"][0]["message"].startswith("Invalid JSON")


async def test_an_unknown_route_and_a_wrong_method_are_problems(app: FastAPI) -> None:
    async with running(app) as client:
        missing = await client.get("/api/v1/leases")
        wrong_method = await client.delete("/api/v1/wells/7")
    assert (
        assert_problem(missing, 404, "not-found", "/api/v1/leases")["detail"] == "There is nothing at /api/v1/leases."
    )
    body = assert_problem(wrong_method, 405, "method-not-allowed", "/api/v1/wells/7")
    assert wrong_method.headers["allow"] == "GET"
    assert body["detail"] == "DELETE is not allowed here; use GET."


async def test_an_http_exception_keeps_its_detail(app: FastAPI) -> None:
    async with running(app) as client:
        response = await client.get("/api/v1/wells/410")
    assert assert_problem(response, 410, "gone", "/api/v1/wells/410")["detail"] == "Well 410 was archived."


async def test_an_unhandled_error_is_a_generic_500_and_its_traceback_is_logged(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="wellflow_servicekit.problems"):
        async with running(app) as client:
            response = await client.get("/api/v1/wells/500", headers={"X-Request-ID": "req-boom-1"})
    body = assert_problem(response, 500, "internal-error", "/api/v1/wells/500")
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert "request_id" in body["detail"]
    (record,) = [r for r in caplog.records if r.name == "wellflow_servicekit.problems"]
    assert record.exc_info is not None and "hunter2" in str(record.exc_info[1])
    samples = app.state.metrics.registry.get_sample_value(
        "http_request_duration_seconds_count",
        {"method": "GET", "route": "/api/v1/wells/{well_id}", "status": "500"},
    )
    assert samples == 1


async def test_handlers_work_on_a_bare_fastapi_app_too() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise ValueError("nope")

    async with running(app, lifespan=False) as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_CONTENT_TYPE
    assert response.json()["instance"] == "/boom"


def test_a_problem_refuses_extension_members_that_shadow_standard_ones() -> None:
    with pytest.raises(ValueError, match="standard names"):
        Conflict("dup", status_code=1, instance="/x")


def test_a_problem_with_a_bare_status_takes_the_http_phrase() -> None:
    problem = Problem("Form PR for lease 12345 does not balance.", status=422, slug="form-pr-unbalanced")
    body = problem.to_body(instance="/api/v1/form-pr/1", request_id="r-1")
    assert body == {
        "type": "https://wellflow.dev/problems/form-pr-unbalanced",
        "title": "Unprocessable content",
        "status": 422,
        "detail": "Form PR for lease 12345 does not balance.",
        "instance": "/api/v1/form-pr/1",
        "request_id": "r-1",
    }
    with pytest.raises(ValueError, match="4xx or 5xx"):
        Problem("fine", status=200)
