"""The stand-in portal over HTTP (in process): filing, idempotency, fault switches, counters, persistence."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

import httpx
import pytest

from wellflow_rrc_portal.app import create_app
from wellflow_rrc_portal.faults import Faults

REPORT: dict[str, Any] = {
    "operator_number": "654321",
    "period": "2026-08",
    "lines": [
        {
            "district": "01",
            "lease_number": "A1",
            "lease_type": "oil",
            "products": [
                {
                    "product": "oil",
                    "beginning_stock": 10,
                    "production": 100,
                    "dispositions": [{"code": "01", "volume": 90}],
                    "ending_stock": 20,
                }
            ],
        }
    ],
}


def client_for(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://portal")


async def file(client: httpx.AsyncClient, key: str, report: dict[str, Any] | None = None) -> httpx.Response:
    return await client.post("/filings", json=report or REPORT, headers={"Submission-Key": key})


async def test_a_report_is_filed_once_per_submission_key() -> None:
    async with client_for(create_app(data_dir=None, faults=Faults())) as client:
        first = await file(client, "key-00000001")
        again = await file(client, "key-00000001")
        other = await file(client, "key-00000002")
        assert first.status_code == 201 and again.status_code == 200 and other.status_code == 201
        assert again.json()["confirmation_number"] == first.json()["confirmation_number"]
        assert again.json()["duplicate"] is True
        assert other.json()["confirmation_number"] != first.json()["confirmation_number"]
        assert first.json()["confirmation_number"].startswith("STANDIN-PR202608-654321-")
        assert (await client.get("/admin/filings")).json()["count"] == 2
        calls = (await client.get("/admin/calls")).json()
        assert calls == {"total": 3, "outcomes": {"accepted": 2, "duplicate": 1}}
        found = await client.get(f"/filings/{first.json()['confirmation_number']}")
        assert found.status_code == 200 and found.json()["submission_key"] == "key-00000001"


async def test_the_same_key_with_a_different_report_is_a_conflict() -> None:
    async with client_for(create_app(faults=Faults())) as client:
        first = await file(client, "key-00000001")
        changed = copy.deepcopy(REPORT)
        changed["lines"][0]["products"][0]["production"] = 101
        changed["lines"][0]["products"][0]["ending_stock"] = 21
        conflict = await file(client, "key-00000001", changed)
        assert conflict.status_code == 409
        assert conflict.headers["content-type"] == "application/problem+json"
        assert conflict.json()["confirmation_number"] == first.json()["confirmation_number"]


async def test_a_rejected_report_answers_its_reasons_and_is_not_filed() -> None:
    bad = copy.deepcopy(REPORT)
    bad["operator_number"] = "12"
    async with client_for(create_app(faults=Faults())) as client:
        response = await file(client, "key-00000001", bad)
        assert response.status_code == 422
        assert response.json()["reasons"] == [
            "Operator number must be the 6 digits of the operator's Form P-5 (e.g. 123456)."
        ]
        assert (await client.get("/admin/filings")).json()["count"] == 0


async def test_a_call_without_a_key_or_json_is_a_bad_request() -> None:
    async with client_for(create_app(faults=Faults())) as client:
        assert (await client.post("/filings", json=REPORT)).status_code == 400
        response = await client.post("/filings", content=b"{not json", headers={"Submission-Key": "key-00000001"})
        assert response.status_code == 400


@pytest.mark.parametrize(
    ("switches", "status", "retry_after", "outcome"),
    [
        ({"outage": True, "retry_after_seconds": 7}, 503, "7", "outage"),
        ({"rate_limit_rate": 1, "retry_after_seconds": 3}, 429, "3", "rate_limited"),
        ({"error_rate": 1}, 500, None, "error"),
        ({"hang_rate": 1, "hang_seconds": 0.05}, 504, None, "hang"),
    ],
)
async def test_fault_switches_fail_calls_until_reset(
    switches: dict[str, Any], status: int, retry_after: str | None, outcome: str
) -> None:
    async with client_for(create_app(faults=Faults())) as client:
        assert (await client.post("/admin/faults", json=switches)).status_code == 200
        response = await file(client, "key-00000001")
        assert response.status_code == status
        assert response.headers.get("retry-after") == retry_after
        assert (await client.get("/admin/filings")).json()["count"] == 0
        assert (await client.get("/admin/calls")).json() == {"total": 1, "outcomes": {outcome: 1}}
        await client.post("/admin/reset")
        assert (await file(client, "key-00000001")).status_code == 201
        assert (await client.get("/admin/calls")).json()["total"] == 1


async def test_latency_delays_every_filing() -> None:
    async with client_for(create_app(faults=Faults(latency_seconds=0.2))) as client:
        started = asyncio.get_running_loop().time()
        assert (await file(client, "key-00000001")).status_code == 201
        assert asyncio.get_running_loop().time() - started >= 0.2


async def test_a_lost_answer_files_the_report_and_a_repeat_gets_its_confirmation() -> None:
    async with client_for(create_app(faults=Faults(lose_answer_rate=1, hang_seconds=0.05))) as client:
        lost = await file(client, "key-00000001")
        assert lost.status_code == 504
        await client.post("/admin/faults", json={"lose_answer_rate": 0})
        repeat = await file(client, "key-00000001")
        assert repeat.status_code == 200 and repeat.json()["duplicate"] is True
        assert (await client.get("/admin/filings")).json()["count"] == 1


async def test_concurrent_calls_with_one_key_file_once() -> None:
    async with client_for(create_app(faults=Faults())) as client:
        responses = await asyncio.gather(*(file(client, "key-00000001") for _ in range(20)))
        assert sorted(r.status_code for r in responses) == [200] * 19 + [201]
        assert len({r.json()["confirmation_number"] for r in responses}) == 1


async def test_a_restarted_portal_keeps_its_filings(tmp_path: Path) -> None:
    async with client_for(create_app(data_dir=tmp_path, faults=Faults())) as client:
        first = await file(client, "key-00000001")
    (tmp_path / "filings.jsonl").open("a").write('{"torn": ')  # a crash in the middle of a write
    async with client_for(create_app(data_dir=tmp_path, faults=Faults())) as client:
        again = await file(client, "key-00000001")
        assert again.status_code == 200
        assert again.json()["confirmation_number"] == first.json()["confirmation_number"]
        assert (await file(client, "key-00000002")).json()["confirmation_number"].endswith("-000002")


async def test_invalid_switches_are_refused_and_change_nothing() -> None:
    async with client_for(create_app(faults=Faults())) as client:
        response = await client.post("/admin/faults", json={"error_rate": 2, "outage": True})
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "error_rate"
        assert (await client.post("/admin/faults", json={"wobble": 1})).status_code == 422
        assert (await client.get("/admin/faults")).json()["outage"] is False


def test_switches_come_from_the_environment() -> None:
    faults = Faults.from_environment({"RRC_PORTAL_ERROR_RATE": "0.25", "RRC_PORTAL_OUTAGE": "true"})
    assert faults.error_rate == 0.25 and faults.outage is True


async def test_health_answers_during_an_outage() -> None:
    async with client_for(create_app(faults=Faults(outage=True))) as client:
        assert (await client.get("/health/ready")).status_code == 200
        assert (await client.get("/health/live")).status_code == 200
