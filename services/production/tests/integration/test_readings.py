"""Daily readings: offline retries, corrections with optimistic concurrency and history, deletion rights,
plausibility confirmations, validation, lists and tenancy."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import uuid4

from sqlalchemy import text

from wellflow_servicekit.migrations import find_rls_gaps, runtime_role_problems

DAY = date(2026, 10, 5)


async def test_an_offline_retry_with_the_same_reading_id_returns_the_first_result(prod):
    site = await prod.site()
    reading_id = str(uuid4())
    first = await prod.reading(site.well_ids[0], DAY, reading_id=reading_id, oil_bbl="12.5")
    assert first.status_code == 201, first.text
    again = await prod.reading(site.well_ids[0], DAY, reading_id=reading_id, oil_bbl="12.5")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(await prod.outbox("production.reading_recorded.v1")) == 1
    listed = await prod.get("/api/v1/readings", well_id=str(site.well_ids[0]))
    assert [item["reading_id"] for item in listed.json()["items"]] == [reading_id]


async def test_an_idempotency_key_replays_and_a_different_body_under_it_is_409_naming_the_field(prod):
    site = await prod.site()
    body = {
        "well_id": str(site.well_ids[0]),
        "production_date": DAY.isoformat(),
        "oil_bbl": 3,
        "gas_mcf": 1,
        "water_bbl": 0,
        "hours_on": 24,
    }
    first = await prod.post("/api/v1/readings", body, role="pumper", **{"Idempotency-Key": "phone-7-0001"})
    assert first.status_code == 201
    retry = await prod.post("/api/v1/readings", body, role="pumper", **{"Idempotency-Key": "phone-7-0001"})
    assert (retry.status_code, retry.json()) == (201, first.json())
    other = await prod.post(
        "/api/v1/readings", {**body, "oil_bbl": 4}, role="pumper", **{"Idempotency-Key": "phone-7-0001"}
    )
    assert other.status_code == 409
    assert other.json()["type"].endswith("/id-in-use")
    assert other.json()["errors"] == [{"field": "body.oil_bbl", "message": "differs from the stored reading"}]


async def test_concurrent_retries_of_one_reading_record_it_once(prod):
    site = await prod.site()
    reading_id = str(uuid4())
    answers = await asyncio.gather(*(prod.reading(site.well_ids[0], DAY, reading_id=reading_id) for _ in range(6)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["entered_at"] for a in answers}) == 1
    rows = await prod.tenant_query("SELECT count(*) AS n FROM readings")
    assert rows[0]["n"] == 1


async def test_a_second_reading_for_the_same_well_day_is_a_conflict_naming_the_first(prod):
    site = await prod.site()
    first = await prod.reading(site.well_ids[0], DAY)
    second = await prod.reading(site.well_ids[0], DAY, oil_bbl="11")
    assert second.status_code == 409
    assert second.json()["reading_id"] == first.json()["reading_id"]


async def test_a_conflicting_correction_gets_409_with_the_current_version_and_history_is_kept(prod):
    site = await prod.site()
    created = (await prod.reading(site.well_ids[0], DAY, oil_bbl="10")).json()
    path = f"/api/v1/readings/{created['reading_id']}"
    one = await prod.patch(path, {"oil_bbl": "11", "reason": "gauge misread"}, role="pumper", **{"If-Match": '"1"'})
    assert one.status_code == 200, one.text
    assert one.json()["version"] == 2 and one.headers["ETag"] == '"2"'
    stale = await prod.patch(path, {"oil_bbl": "9", "reason": "from the office"}, **{"If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert stale.json()["current"]["oil_bbl"] == "11.000"
    missing = await prod.patch(path, {"oil_bbl": "9", "reason": "no version"})
    assert missing.status_code == 428
    two = await prod.patch(path, {"water_bbl": "7", "reason": "water meter", "version": 2})
    assert two.status_code == 200
    history = (await prod.get(f"{path}/history")).json()
    assert [c["version"] for c in history["changes"]] == [2, 3]
    assert history["changes"][0]["previous"]["oil_bbl"] == "10.000"
    assert history["changes"][0]["current"]["oil_bbl"] == "11.000"
    assert history["changes"][0]["reason"] == "gauge misread"
    assert history["changes"][1]["previous"]["water_bbl"] == "5.000"
    put = await prod.client.put(
        path,
        json={"oil_bbl": "12", "gas_mcf": "20", "water_bbl": "7", "hours_on": "24", "reason": "restated", "version": 3},
        headers=prod.as_role("pumper"),
    )
    assert put.status_code == 200, put.text
    assert (put.json()["version"], put.json()["oil_bbl"], put.json()["comments"]) == (4, "12.000", None)
    corrected = await prod.outbox("production.reading_corrected.v1")
    assert [(e["version"], e["previous"]["oil_bbl"], e["values"]["oil_bbl"]) for e in corrected] == [
        (2, "10.000", "11.000"),
        (3, "11.000", "11.000"),
        (4, "11.000", "12.000"),
    ]


async def test_two_concurrent_corrections_from_one_version_one_wins_one_gets_409(prod):
    site = await prod.site()
    created = (await prod.reading(site.well_ids[0], DAY)).json()
    path = f"/api/v1/readings/{created['reading_id']}"
    answers = await asyncio.gather(
        prod.patch(path, {"oil_bbl": "1", "reason": "phone A"}, **{"If-Match": '"1"'}),
        prod.patch(path, {"oil_bbl": "2", "reason": "phone B"}, **{"If-Match": '"1"'}),
    )
    assert sorted(a.status_code for a in answers) == [200, 409]


async def test_a_pumper_may_record_and_correct_but_not_delete(prod):
    site = await prod.site()
    created = await prod.reading(site.well_ids[0], DAY, role="pumper")
    assert created.status_code == 201
    path = f"/api/v1/readings/{created.json()['reading_id']}"
    denied = await prod.delete(path, role="pumper", reason="typo")
    assert denied.status_code == 403
    assert (await prod.reading(site.well_ids[1], DAY, role="auditor")).status_code == 403
    assert (await prod.delete(path, role="manager", reason="entered on the wrong well")).status_code == 204
    assert (await prod.get(path)).status_code == 404
    history = (await prod.get(f"{path}/history")).json()
    assert history["current"] is None and history["changes"][0]["kind"] == "deleted"
    month = (await prod.tenant_query("SELECT oil_bbl, reading_count FROM lease_months"))[0]
    assert month["reading_count"] == 0 and month["oil_bbl"] == 0


async def test_a_volume_over_the_organizations_limit_needs_confirmation(prod):
    site = await prod.site()
    too_much = await prod.reading(site.well_ids[0], DAY, oil_bbl="1500")
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "confirmation_required"
    assert too_much.json()["warnings"][0]["field"] == "oil_bbl"
    confirmed = await prod.reading(site.well_ids[0], DAY, oil_bbl="1500", confirm=True)
    assert confirmed.status_code == 201
    assert confirmed.json()["warnings"][0]["code"] == "above_plausibility_limit"
    lowered = await prod.patch("/api/v1/production/settings", {"max_oil_bbl": "5"})
    assert lowered.status_code == 200
    assert (await prod.reading(site.well_ids[1], DAY, oil_bbl="6")).json()["code"] == "confirmation_required"
    assert (await prod.patch("/api/v1/production/settings", {"max_oil_bbl": "5"}, role="pumper")).status_code == 403


async def test_bad_values_are_refused_with_the_field_named(prod):
    site = await prod.site()
    for values, field in (
        ({"oil_bbl": "-1"}, "body.oil_bbl"),
        ({"hours_on": "25"}, "body.hours_on"),
        ({"gas_mcf": "1.2345"}, "body.gas_mcf"),
        ({"downtime_reason": "aliens", "hours_on": "20"}, "body.downtime_reason"),
    ):
        answer = await prod.reading(site.well_ids[0], DAY, **values)
        assert answer.status_code == 422, values
        assert answer.json()["errors"][0]["field"] == field
    unknown = await prod.reading(uuid4(), DAY)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "body.well_id"
    future = await prod.reading(site.well_ids[0], date(2099, 1, 1))
    assert future.status_code == 422
    assert (await prod.tenant_query("SELECT count(*) AS n FROM readings"))[0]["n"] == 0


async def test_downtime_reasons_are_the_defaults_plus_the_organizations_own(prod):
    site = await prod.site()
    added = await prod.post("/api/v1/readings/downtime-reasons", {"code": "frac-hit", "label": "Offset frac hit"})
    assert added.status_code == 201
    codes = {r["code"]: r["default"] for r in (await prod.get("/api/v1/readings/downtime-reasons")).json()["items"]}
    assert codes["mechanical"] is True and codes["frac-hit"] is False
    ok = await prod.reading(site.well_ids[0], DAY, hours_on="6", downtime_reason="frac-hit")
    assert ok.status_code == 201
    other_org = await prod.get("/api/v1/readings/downtime-reasons", org=prod.org_b)
    assert "frac-hit" not in {r["code"] for r in other_org.json()["items"]}


async def test_provenance_is_kept(prod):
    site = await prod.site()
    answer = await prod.reading(
        site.well_ids[0],
        DAY,
        measured_at="2026-10-06T07:15:00-05:00",
        device_id="ipad-17",
        gps={"latitude": "31.9973", "longitude": "-102.0779"},
        photo_ref="s3://photos/abc.jpg",
    )
    body = (await prod.get(f"/api/v1/readings/{answer.json()['reading_id']}")).json()
    assert body["device_id"] == "ipad-17" and body["photo_ref"] == "s3://photos/abc.jpg"
    assert body["gps"] == {"latitude": "31.9973000", "longitude": "-102.0779000"}
    assert body["measured_at"].startswith("2026-10-06T12:15:00")
    assert body["recorded_by"] and body["entered_at"]


async def test_the_list_filters_and_pages_with_a_cursor(prod):
    site = await prod.site()
    for day in range(1, 8):
        for well_id in site.well_ids:
            assert (await prod.reading(well_id, date(2026, 9, day))).status_code == 201
    seen, cursor = [], None
    while True:
        params = {"well_id": str(site.well_ids[0]), "limit": 3, "from": "2026-09-02"}
        if cursor:
            params["cursor"] = cursor
        page = (await prod.get("/api/v1/readings", **params)).json()
        seen += [item["production_date"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"2026-09-0{d}" for d in range(7, 1, -1)]
    by_lease = (await prod.get("/api/v1/readings", lease_id=str(site.lease_id), to="2026-09-01")).json()
    assert len(by_lease["items"]) == 2
    assert (await prod.get("/api/v1/readings", cursor="garbage")).status_code == 422


async def test_another_organization_sees_nothing_and_gets_404(prod):
    site = await prod.site()
    created = (await prod.reading(site.well_ids[0], DAY)).json()
    path = f"/api/v1/readings/{created['reading_id']}"
    assert (await prod.get(path, org=prod.org_b)).status_code == 404
    assert (await prod.get(f"{path}/history", org=prod.org_b)).status_code == 404
    assert (await prod.patch(path, {"oil_bbl": 1, "reason": "steal", "version": 1}, org=prod.org_b)).status_code == 404
    assert (await prod.delete(path, org=prod.org_b, reason="steal")).status_code == 404
    assert (await prod.get("/api/v1/readings", org=prod.org_b)).json()["items"] == []
    # a reading for another organization's well is refused: the well is unknown there
    assert (await prod.reading(site.well_ids[0], DAY, org=prod.org_b)).status_code == 422


async def test_every_tenant_table_is_under_forced_rls_and_the_runtime_role_is_plain(prod):
    async with prod.database.unit_of_work(None) as uow:
        assert await find_rls_gaps(uow.connection) == []
        assert await runtime_role_problems(uow.connection) == []
        tables = (
            await uow.connection.execute(
                text(
                    "SELECT count(*) FROM information_schema.columns WHERE column_name = 'organization_id' "
                    "AND table_schema = 'public'"
                )
            )
        ).scalar()
    assert tables >= 19


async def test_a_wells_latest_readings_answer_the_same_through_the_prepared_statement(prod):
    site = await prod.site()
    for day in range(1, 6):
        for well_id in site.well_ids:
            assert (await prod.reading(well_id, date(2026, 9, day))).status_code == 201
    well = str(site.well_ids[0])
    prepared = await prod.get("/api/v1/readings", well_id=well, limit=3)  # the well alone: asyncpg, prepared
    built = await prod.get("/api/v1/readings", well_id=well, limit=3, **{"from": "2000-01-01"})  # SQLAlchemy
    assert prepared.status_code == built.status_code == 200
    assert prepared.content == built.content
    assert [item["production_date"] for item in prepared.json()["items"]] == ["2026-09-05", "2026-09-04", "2026-09-03"]
    assert {item["well_id"] for item in prepared.json()["items"]} == {well}
    assert (await prod.get("/api/v1/readings", well_id=well, org=prod.org_b)).json()["items"] == []  # RLS
