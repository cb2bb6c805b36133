"""Tank batteries: tanks with strapping tables, effective-dated well connections, gauge conversion."""

from __future__ import annotations

import json

STRAPPING = [["0", "0"], ["12", "18.00"], ["24", "38.04"], ["180", "298.56"]]


async def _battery(wells, **overrides):
    lease = await wells.lease()
    one = await wells.well(lease["id"], "42-329-00001", name="Well 1", status="producing")
    two = await wells.well(lease["id"], "42-329-00002", name="Well 2", status="producing")
    body = {
        "name": "Ranch A battery",
        "code": "TB-1",
        "lease_id": lease["id"],
        "tanks": [
            {"number": "1", "capacity_bbl": "300", "strapping": STRAPPING},
            {"number": "W1", "product": "water", "capacity_bbl": "300", "strapping": STRAPPING},
        ],
        "wells": [{"well_id": one["id"], "effective_from": "2025-01-01"}],
        **overrides,
    }
    response = await wells.post("/api/v1/batteries", body)
    assert response.status_code == 201, response.text
    return response.json(), one, two


async def test_configure_a_battery_connect_wells_and_convert_a_gauge(wells):
    battery, one, two = await _battery(wells)
    assert [t["number"] for t in battery["tanks"]] == ["1", "W1"]
    assert battery["tanks"][0]["strapping"] == STRAPPING
    assert [(w["api_number"], w["effective_to"]) for w in battery["wells"]] == [("42-329-00001-00-00", None)]

    path = f"/api/v1/batteries/{battery['id']}"
    connected = await wells.post(f"{path}/wells", {"well_id": two["id"], "effective_from": "2025-03-01"})
    assert connected.status_code == 200, connected.text
    ended = await wells.post(f"{path}/wells/{one['id']}/disconnect", {"effective_to": "2025-06-01"})
    assert ended.status_code == 200, ended.text
    assert [(w["well_name"], w["effective_from"], w["effective_to"]) for w in ended.json()["wells"]] == [
        ("Well 1", "2025-01-01", "2025-06-01"),
        ("Well 2", "2025-03-01", None),
    ]
    flowing = await wells.get("/api/v1/wells", battery_id=battery["id"])
    assert [w["name"] for w in flowing.json()["items"]] == ["Well 2"]

    tank = battery["tanks"][0]["id"]
    volume = await wells.get(f"{path}/tanks/{tank}/volume", role="pumper", feet=1, inches=6, quarters=2)
    assert volume.status_code == 200, volume.text
    assert volume.json()["barrels"] == "28.86" and volume.json()["level_inches"] == "18.5"
    too_high = await wells.get(f"{path}/tanks/{tank}/volume", feet=15, inches=1)
    assert too_high.status_code == 422 and too_high.json()["errors"][0]["field"] == "query.feet"
    bad = await wells.get(f"{path}/tanks/{tank}/volume", feet=1, inches=12)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.inches"

    sql = "SELECT payload FROM outbox WHERE event_type = 'wells.battery_configured.v1' ORDER BY id"
    rows = await wells.owner_query(sql)
    assert len(rows) == 3
    last = json.loads(rows[-1][0])
    data = last
    assert [(w["api_number"], w["effective_to"]) for w in data["wells"]] == [
        ("42329000010000", "2025-06-01"),
        ("42329000020000", None),
    ]
    assert data["tanks"][0]["strapping"][-1] == ["180", "298.56"]


async def test_a_well_flows_into_one_battery_at_a_time(wells):
    _, one, _ = await _battery(wells)
    other = await wells.post(
        "/api/v1/batteries",
        {
            "name": "Other",
            "tanks": [{"number": "1", "capacity_bbl": "300", "strapping": STRAPPING}],
            "wells": [{"well_id": one["id"], "effective_from": "2025-02-01"}],
        },
    )
    assert other.status_code == 409 and other.json()["errors"][0]["field"] == "body.wells[0].well_id"
    assert len((await wells.get("/api/v1/batteries")).json()["items"]) == 1  # nothing of the refused battery


async def test_bad_batteries_name_the_field_and_write_nothing(wells):
    before = await wells.owner_query("SELECT count(*) FROM outbox")
    cases = [
        ({"tanks": []}, "body.tanks"),
        ({"tanks": [{"number": "1", "capacity_bbl": "300", "strapping": [["0", "0"]]}]}, "body.tanks[0].strapping"),
        (
            {"tanks": [{"number": "1", "capacity_bbl": "300", "strapping": [["0", "0"], ["12", "10"], ["6", "20"]]}]},
            "body.tanks[0].strapping",
        ),
        (
            {"tanks": [{"number": "1", "capacity_bbl": "100", "strapping": STRAPPING}]},
            "body.tanks[0].strapping",
        ),
        (
            {
                "tanks": [{"number": "1", "capacity_bbl": "300", "strapping": STRAPPING}],
                "wells": [{"well_id": "01938a10-0000-7000-8000-000000000999", "effective_from": "2025-01-01"}],
            },
            "body.wells[0].well_id",
        ),
    ]
    for overrides, field in cases:
        response = await wells.post("/api/v1/batteries", {"name": "B", **overrides})
        assert response.status_code == 422, (field, response.text)
        fields = [e["field"] for e in response.json()["errors"]]
        assert any(f.startswith(field) for f in fields), fields
    assert await wells.owner_query("SELECT count(*) FROM outbox") == before
    assert (await wells.get("/api/v1/batteries")).json()["total"] == 0
    assert (await wells.post("/api/v1/batteries", {"name": "B", "tanks": []}, role="pumper")).status_code == 403


async def test_absurd_strapping_numbers_are_a_422_naming_the_table(wells):
    """Huge, tiny, non-finite or over-precise strapping values (issue 19) are refused naming the table: a level of
    `1e999999` inches, a `1e-999999` barrel row or a 60-digit fraction were stored and published to production
    (201), and the rest must stay refused; a zero written oddly (`-0`, `0E-1000000000`) is still a zero."""
    before = await wells.owner_query("SELECT count(*) FROM outbox")
    headers = {**wells.as_role("manager"), "content-type": "application/json"}
    rows = [
        '[["0", "0"], ["12", "1e999999"]]',
        "[[0, 0], [12, 1e999999]]",
        '[["0", "0"], ["1e999999", "18"]]',
        '[["0", "0"], ["12", "1' + "0" * 100 + '"]]',
        '[["0", "0"], ["12", "NaN"]]',
        '[["0", "0"], ["12", "Infinity"]]',
        '[["0", "0"], ["12", "-Infinity"]]',
        '[["0", "0"], ["12", "1e-999999"], ["24", "18"]]',
        '[["0", "0"], ["0.' + "0" * 60 + '1", "1"], ["12", "18"]]',
        '[["0", "0"], ["12", "18.' + "1" * 60 + '"]]',
        '[["0", "0"], ["1e99999999999999999999", "18"]]',
        '[["0", "0"], [1e999999, 18]]',
        '[["0", "0"], ["12", "1e-99999999999999999999"], ["24", "18"]]',
        '[["0", "0"], ["12", "' + "9" * 5000 + '"]]',
        '[["0", "0"], ["' + "9" * 5000 + '", "18"]]',
    ]
    answers = {}
    for strapping in rows:
        body = '{"name": "B", "tanks": [{"number": "1", "capacity_bbl": "300", "strapping": ' + strapping + "}]}"
        response = await wells.client.post("/api/v1/batteries", content=body, headers=headers)
        fields = [e["field"] for e in response.json().get("errors", [])] if response.status_code == 422 else []
        answers[strapping[:60]] = (response.status_code, fields[:1])
    assert all(
        status == 422 and fields and fields[0].startswith("body.tanks[0].strapping")
        for status, fields in answers.values()
    ), answers
    assert await wells.owner_query("SELECT count(*) FROM outbox") == before
    odd_zeros = '[["0E-1000000000", "-0"], ["12", "18.10000"]]'
    body = '{"name": "B", "tanks": [{"number": "1", "capacity_bbl": "300", "strapping": ' + odd_zeros + "}]}"
    accepted = await wells.client.post("/api/v1/batteries", content=body, headers=headers)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["tanks"][0]["strapping"][0] == ["0", "0"]
