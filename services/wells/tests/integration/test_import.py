"""CSV import of wells: good rows are registered, bad rows are rejected with reasons and change nothing."""

from __future__ import annotations

CSV = """name,api_number,lease_name,rrc_district,rrc_lease_number,well_type,purpose,status,is_horizontal
Ranch A 1H,42-329-00001,Ranch A,,,oil,development,producing,yes
Ranch A 2H,42329000020000,,08,12345,oil,development,,no
Bad county,42-330-00003,Ranch A,,,oil,development,,
Dup of 1H,4232900001,Ranch A,,,oil,development,,
No such lease,42-329-00005,Nowhere,,,oil,development,,
Bad type,42-329-00006,Ranch A,,,unicorn,development,flowing,
Gas with id,42-329-00007,Ranch A,,,gas,development,,
"""


async def test_mixed_good_and_bad_rows(wells):
    await wells.lease(name="Ranch A")
    response = await wells.client.post(
        "/api/v1/wells/import", content=CSV.encode(), headers={**wells.as_role("manager"), "content-type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["rejected"]) == (3, 4)
    by_line = {row["row"]: row for row in report["rows"]}
    assert [by_line[n]["status"] for n in range(2, 9)] == [
        "created",
        "created",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "created",
    ]
    assert by_line[2]["api_number"] == "42329000010000"

    def fields(line):
        return {e["field"]: e["message"] for e in by_line[line]["errors"]}

    assert "county code 330 is even" in fields(4)["api_number"]
    assert fields(5) == {"api_number": "already registered"}
    assert fields(6) == {"lease_name": "no lease with this name"}
    assert set(fields(7)) == {"well_type", "status"}

    listed = await wells.get("/api/v1/wells")
    assert sorted(w["name"] for w in listed.json()["items"]) == ["Gas with id", "Ranch A 1H", "Ranch A 2H"]
    first = next(w for w in listed.json()["items"] if w["name"] == "Ranch A 1H")
    assert first["status"] == "producing" and first["is_horizontal"] is True
    assert (await wells.outbox_types()).count("wells.well_registered.v1") == 3


async def test_a_file_without_required_columns_is_refused_whole(wells):
    await wells.lease(name="Ranch A")
    headers = {**wells.as_role("manager"), "content-type": "text/csv"}
    response = await wells.client.post("/api/v1/wells/import", content=b"name,lease_name\nA,Ranch A\n", headers=headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.columns"
    assert "api_number" in response.json()["detail"]
    wrong_type = await wells.client.post(
        "/api/v1/wells/import", content=b"{}", headers={**headers, "content-type": "application/json"}
    )
    assert wrong_type.status_code == 415
    pumper = await wells.client.post(
        "/api/v1/wells/import", content=CSV.encode(), headers={**wells.as_role("pumper"), "content-type": "text/csv"}
    )
    assert pumper.status_code == 403
    assert (await wells.get("/api/v1/wells")).json()["total"] == 0


API_CSV = """name,api_number,lease_name,well_type,purpose
Eight digits,32900011,Ranch A,oil,development
Superscript,42-329-0001\u00b2,Ranch A,oil,development
Arabic four,\u0664\u0662-329-00013,Ranch A,oil,development
Spaced,42 329 00014,Ranch A,oil,development
Hawaii,51-001-00015,Ranch A,oil,development
Bad dash,4232-900016,Ranch A,oil,development
"""


async def test_malformed_api_numbers_are_row_errors_never_a_500(wells):
    """Every class of malformed API number is a row error naming the field; the RRC's 8 digits (county + unique
    number) are taken as a Texas number, and D12A state codes beyond 50 (51 Hawaii) are accepted."""
    await wells.lease(name="Ranch A")
    response = await wells.client.post(
        "/api/v1/wells/import",
        content=API_CSV.encode(),
        headers={**wells.as_role("manager"), "content-type": "text/csv; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    by_line = {row["row"]: row for row in response.json()["rows"]}
    assert by_line[2]["status"] == "created" and by_line[2]["api_number"] == "42329000110000"
    assert by_line[6]["status"] == "created" and by_line[6]["api_number"] == "51001000150000"

    def api_error(line):
        assert by_line[line]["status"] == "rejected"
        errors = {e["field"]: e["message"] for e in by_line[line]["errors"]}
        assert list(errors) == ["api_number"], errors
        return errors["api_number"]

    assert "not one of the digits 0-9" in api_error(3)
    assert "not one of the digits 0-9" in api_error(4)
    assert "space inside" in api_error(5)
    assert "dashes go between the parts" in api_error(7)
