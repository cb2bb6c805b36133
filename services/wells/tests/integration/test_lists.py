"""Lists: filters, text search, sorting and pagination."""

from __future__ import annotations


def _api(n: int) -> str:
    return f"42-329-{n:05d}"  # Midland County (329)


async def _world(wells):
    field = (await wells.post("/api/v1/fields", {"name": "Spraberry", "code": "F1"})).json()
    east = await wells.lease(name="East Ranch", rrc_lease_number="11111", field_id=field["id"], county="Midland")
    west = await wells.lease(name="West Ranch", rrc_lease_number="22222", county="Upton", rrc_district="7C")
    made = []
    for n in range(1, 8):
        lease = east if n <= 5 else west
        status = "producing" if n % 2 else "shut_in"
        made.append(
            await wells.well(
                lease["id"], _api(n), name=f"Well {n:02d}", status=status, well_type="oil" if n != 7 else "gas"
            )
        )
    return field, east, west, made


async def test_filters_combine_and_pages_cover_the_result(wells):
    field, east, west, _ = await _world(wells)

    async def names(**params):
        response = await wells.get("/api/v1/wells", role="pumper", **params)
        assert response.status_code == 200, response.text
        body = response.json()
        return [w["name"] for w in body["items"]], body["total"]

    assert await names(status="producing", lease_id=east["id"]) == (["Well 01", "Well 03", "Well 05"], 3)
    assert await names(status=["producing", "shut_in"], lease_id=west["id"]) == (["Well 06", "Well 07"], 2)
    assert await names(field_id=field["id"], status="shut_in") == (["Well 02", "Well 04"], 2)
    assert await names(county="upton") == (["Well 06", "Well 07"], 2)
    assert await names(well_type="gas") == (["Well 07"], 1)
    assert await names(q="well 0") == ([f"Well 0{n}" for n in range(1, 8)], 7)
    assert await names(q="329-00004") == (["Well 04"], 1)  # dashed API digits match too
    assert await names(q="%") == ([], 0)  # LIKE wildcards are literal

    first = await names(limit=3, sort="-name")
    second = await names(limit=3, offset=3, sort="-name")
    last = await names(limit=3, offset=6, sort="-name")
    assert first == (["Well 07", "Well 06", "Well 05"], 7)
    assert second == (["Well 04", "Well 03", "Well 02"], 7)
    assert last == (["Well 01"], 7)
    assert await names(offset=50) == ([], 7)

    leases = await wells.get("/api/v1/leases", rrc_district="7c")
    assert [lease["name"] for lease in leases.json()["items"]] == ["West Ranch"]
    assert (await wells.get("/api/v1/fields")).json()["total"] == 1


async def test_bad_list_parameters_are_problems_naming_the_parameter(wells):
    for params, field in [
        ({"limit": 1000}, "query.limit"),
        ({"limit": 0}, "query.limit"),
        ({"offset": -1}, "query.offset"),
        ({"status": "flowing"}, "query.status[0]"),
        ({"sort": "colour"}, "query.sort"),
        ({"lease_id": "nope"}, "query.lease_id"),
    ]:
        response = await wells.get("/api/v1/wells", **params)
        assert response.status_code == 422, (params, response.text)
        assert field in [e["field"] for e in response.json()["errors"]]
    response = await wells.get("/api/v1/leases", rrc_district="11")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.rrc_district"
