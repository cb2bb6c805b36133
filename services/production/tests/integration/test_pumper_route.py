"""The pumper's daily route: assignments by managers, the default route, done flags from readings and gauges,
validation, permissions and tenant isolation, on a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from wellflow_contracts.events.wells import (
    BatteryConfigured,
    ConnectedWell,
    LeaseRegistered,
    TankFacts,
    WellRegistered,
    WellStatusChanged,
)
from wellflow_contracts.ids import uuid7

DAY = date(2026, 8, 31)
PUMPER = UUID("01938a10-0000-7000-8000-0000000000f1")
OTHER_PUMPER = UUID("01938a10-0000-7000-8000-0000000000f2")
STRAPPING = [(Decimal(0), Decimal(0)), (Decimal(240), Decimal("400.80"))]


async def alamo_lease(prod, org: UUID | None = None) -> tuple[list[UUID], UUID, UUID]:
    """A second lease, "Alamo" (sorts before the fixture's "Ranch A"), with wells 2 and 1 and a one-tank battery."""
    org = org or prod.org_a
    lease_id, battery_id, tank_id = uuid7(), uuid7(), uuid7()
    await prod.apply(
        LeaseRegistered(
            tenant_id=org,
            lease_id=lease_id,
            name="Alamo",
            rrc_district="08",
            rrc_lease_number="20001",
            lease_type="oil",
            status="active",
        )
    )
    well_ids = []
    for name in ("Alamo 2", "Alamo 1"):
        well_id = uuid7()
        await prod.apply(
            WellRegistered(
                tenant_id=org,
                well_id=well_id,
                name=name,
                api_number=prod.next_api(),
                lease_id=lease_id,
                rrc_district="08",
                lease_type="oil",
                well_type="oil",
                purpose="development",
                status="producing",
            )
        )
        well_ids.append(well_id)
    await prod.apply(
        BatteryConfigured(
            tenant_id=org,
            battery_id=battery_id,
            name="Alamo battery",
            lease_id=lease_id,
            tanks=[
                TankFacts(tank_id=tank_id, number="T9", product="oil", capacity_bbl=Decimal(400), strapping=STRAPPING)
            ],
            wells=[
                ConnectedWell(well_id=w, api_number="42000000000000", effective_from=date(2020, 1, 1)) for w in well_ids
            ],
        )
    )
    return well_ids, battery_id, tank_id


async def change_status(prod, site, index: int, to_status: str, effective: date) -> None:
    await prod.apply(
        WellStatusChanged(
            tenant_id=prod.org_a,
            well_id=site.well_ids[index],
            api_number=site.api_numbers[index],
            lease_id=site.lease_id,
            from_status="producing",
            to_status=to_status,
            effective_date=effective,
            changed_by="tester",
        )
    )


async def put_route(prod, user_id: UUID, well_ids: list, role: str = "manager", org: UUID | None = None):
    return await prod.client.put(
        f"/api/v1/production/routes/{user_id}",
        json={"well_ids": [str(w) for w in well_ids]},
        headers=prod.as_role(role, org),
    )


async def route(prod, day: date = DAY, role: str = "pumper", subject: UUID = PUMPER, org: UUID | None = None, **q):
    answer = await prod.client.get(
        "/api/v1/production/route",
        params={"date": day.isoformat(), **{k: str(v) for k, v in q.items()}},
        headers=prod.as_role(role, org, subject=str(subject)),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def gauge(prod, tank_id: UUID, at: str = "2026-08-31T07:00:00-05:00"):
    answer = await prod.post(
        "/api/v1/tank-gauges", {"tank_id": str(tank_id), "gauged_at": at, "feet": 10, "inches": 0}, role="pumper"
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_without_assignments_the_route_is_every_well_that_may_still_produce_by_lease_then_name(prod):
    site = await prod.site(wells=4)
    alamo_wells, alamo_battery, alamo_tank = await alamo_lease(prod)
    await change_status(prod, site, 1, "plugged", date(2026, 8, 15))
    await change_status(prod, site, 2, "permanently_abandoned", date(2026, 8, 15))
    await change_status(prod, site, 3, "shut_in", date(2026, 8, 15))

    body = await route(prod)

    assert body["date"] == "2026-08-31"
    assert body["user_id"] == str(PUMPER)
    assert body["assigned"] is False
    assert [(w["name"], w["status"]) for w in body["wells"]] == [
        ("Alamo 1", "producing"),
        ("Alamo 2", "producing"),
        ("Ranch A 1", "producing"),
        ("Ranch A 4", "shut_in"),
    ]
    first = body["wells"][0]
    assert first == {
        "well_id": str(alamo_wells[1]),
        "name": "Alamo 1",
        "api_number": first["api_number"],
        "lease_id": first["lease_id"],
        "lease_name": "Alamo",
        "battery_id": str(alamo_battery),
        "status": "producing",
        "reading_id": None,
        "reading_version": None,
        "hours_on": None,
        "done": False,
        "reading": None,
        "last": None,
        "recent": None,
    }
    assert [(t["battery_name"], t["number"], t["capacity_bbl"], t["gauged"]) for t in body["tanks"]] == [
        ("Alamo battery", "T9", "400.000", False),
        ("Ranch A battery", "T1", "400.000", False),
        ("Ranch A battery", "T2", "400.000", False),
    ]
    assert body["tanks"][0]["tank_id"] == str(alamo_tank)
    assert (body["done"], body["total"]) == (0, 7)

    # before the wells were plugged and abandoned they were still on the route, with the status of that day
    earlier = await route(prod, day=date(2026, 8, 10))
    assert [(w["name"], w["status"]) for w in earlier["wells"]][2:] == [
        ("Ranch A 1", "producing"),
        ("Ranch A 2", "producing"),
        ("Ranch A 3", "producing"),
        ("Ranch A 4", "producing"),
    ]


async def test_tanks_come_only_from_batteries_the_wells_flow_into_on_the_day(prod):
    site = await prod.site(wells=1, connected_from=date(2026, 8, 1))
    before = await route(prod, day=date(2026, 7, 15))
    assert [w["well_id"] for w in before["wells"]] == [str(site.well_ids[0])]
    assert before["wells"][0]["battery_id"] is None
    assert before["tanks"] == []
    assert (before["done"], before["total"]) == (0, 1)
    after = await route(prod, day=date(2026, 8, 15))
    assert after["wells"][0]["battery_id"] == str(site.battery_id)
    assert [t["tank_id"] for t in after["tanks"]] == [str(t) for t in site.tank_ids]


async def test_an_assigned_route_keeps_its_order_and_fills_in_as_wells_are_read_and_tanks_gauged(prod):
    site = await prod.site(wells=3)
    await alamo_lease(prod)
    w1, _, w3 = site.well_ids

    saved = await put_route(prod, PUMPER, [w3, w1])
    assert saved.status_code == 200, saved.text
    assert saved.json()["well_ids"] == [str(w3), str(w1)]
    assert saved.json()["user_id"] == str(PUMPER)
    assert saved.json()["assigned_at"] is not None
    assert (await prod.get(f"/api/v1/production/routes/{PUMPER}", role="pumper")).json()["well_ids"] == [
        str(w3),
        str(w1),
    ]

    body = await route(prod)
    assert body["assigned"] is True
    assert [w["well_id"] for w in body["wells"]] == [str(w3), str(w1)]  # visiting order, not by name
    assert [t["tank_id"] for t in body["tanks"]] == [str(t) for t in site.tank_ids]  # not the Alamo battery's
    assert (body["done"], body["total"]) == (0, 4)

    reading = await prod.reading(w1, DAY)
    assert reading.status_code == 201, reading.text
    assert (await prod.reading(w3, DAY - timedelta(days=1))).status_code == 201  # another day: not today's stop
    gauged = await gauge(prod, site.tank_ids[1])

    body = await route(prod)
    by_well = {w["well_id"]: w for w in body["wells"]}
    assert (by_well[str(w1)]["done"], by_well[str(w1)]["reading_id"], by_well[str(w1)]["reading_version"]) == (
        True,
        reading.json()["reading_id"],
        1,
    )
    assert (by_well[str(w3)]["done"], by_well[str(w3)]["reading_id"]) == (False, None)
    assert [(t["gauged"], t["gauge_id"]) for t in body["tanks"]] == [(False, None), (True, gauged["id"])]
    assert (body["done"], body["total"]) == (2, 4)

    # a correction bumps the version the route shows
    corrected = await prod.patch(
        f"/api/v1/readings/{reading.json()['reading_id']}", {"oil_bbl": "11", "reason": "misread", "version": 1}
    )
    assert corrected.status_code == 200, corrected.text
    assert (await route(prod))["wells"][1]["reading_version"] == 2

    # another pumper's route is not this one
    other = await route(prod, subject=OTHER_PUMPER)
    assert other["assigned"] is False
    assert len(other["wells"]) == 5

    # a manager asks for the pumper's route by id
    as_manager = await route(prod, role="manager", subject=OTHER_PUMPER, user_id=PUMPER)
    assert as_manager["user_id"] == str(PUMPER)
    assert [w["well_id"] for w in as_manager["wells"]] == [str(w3), str(w1)]


async def test_a_new_assignment_replaces_the_whole_route_and_removing_it_brings_back_the_default(prod):
    site = await prod.site(wells=3)
    w1, w2, w3 = site.well_ids
    assert (await put_route(prod, PUMPER, [w1, w2, w3])).status_code == 200
    replaced = await put_route(prod, PUMPER, [w2], role="owner")
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["well_ids"] == [str(w2)]
    assert [w["well_id"] for w in (await route(prod))["wells"]] == [str(w2)]

    removed = await prod.delete(f"/api/v1/production/routes/{PUMPER}")
    assert removed.status_code == 204
    assert (await prod.get(f"/api/v1/production/routes/{PUMPER}")).status_code == 404
    assert (await prod.delete(f"/api/v1/production/routes/{PUMPER}")).status_code == 404
    body = await route(prod)
    assert body["assigned"] is False
    assert len(body["wells"]) == 3


async def test_another_members_route_is_404_until_one_is_assigned(prod):
    site = await prod.site(wells=1)
    headers = prod.as_role("manager", subject=str(OTHER_PUMPER))
    path = "/api/v1/production/route"
    unassigned = await prod.client.get(path, params={"date": DAY.isoformat(), "user_id": str(PUMPER)}, headers=headers)
    assert unassigned.status_code == 404, unassigned.text
    assert (await prod.get(f"/api/v1/production/routes/{PUMPER}")).status_code == 404
    assert (await put_route(prod, PUMPER, site.well_ids)).status_code == 200
    assigned = await prod.client.get(path, params={"date": DAY.isoformat(), "user_id": str(PUMPER)}, headers=headers)
    assert assigned.status_code == 200
    assert [w["well_id"] for w in assigned.json()["wells"]] == [str(site.well_ids[0])]


async def test_route_assignments_reject_unknown_and_repeated_wells_and_pumpers(prod):
    site = await prod.site(wells=2)
    other_org = await prod.site(org=prod.org_b, wells=1)
    w1, w2 = site.well_ids
    assert (await put_route(prod, PUMPER, [w1])).status_code == 200

    unknown = await put_route(prod, PUMPER, [w2, uuid7(), w1, other_org.well_ids[0]])
    assert unknown.status_code == 422, unknown.text
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.well_ids[1]", "body.well_ids[3]"]

    repeated = await put_route(prod, PUMPER, [w1, w2, w1])
    assert repeated.status_code == 422, repeated.text
    assert [e["field"] for e in repeated.json()["errors"]] == ["body.well_ids[2]"]

    empty = await put_route(prod, PUMPER, [])
    assert empty.status_code == 422, empty.text
    assert empty.json()["errors"][0]["field"] == "body.well_ids"

    not_a_uuid = await prod.client.put(
        f"/api/v1/production/routes/{PUMPER}", json={"well_ids": ["nope"]}, headers=prod.as_role("manager")
    )
    assert not_a_uuid.status_code == 422

    by_pumper = await put_route(prod, PUMPER, [w2], role="pumper")
    assert by_pumper.status_code == 403, by_pumper.text
    assert (await put_route(prod, PUMPER, [w2], role="accountant")).status_code == 403
    assert (await put_route(prod, PUMPER, [w2], role="auditor")).status_code == 403
    assert (await prod.delete(f"/api/v1/production/routes/{PUMPER}", role="pumper")).status_code == 403

    # nothing of the refused requests stuck
    assert (await prod.get(f"/api/v1/production/routes/{PUMPER}")).json()["well_ids"] == [str(w1)]


async def test_the_route_day_is_at_most_tomorrow_and_defaults_to_today(prod):
    await prod.site(wells=1)
    today = datetime.now(UTC).date()
    headers = prod.as_role("pumper", subject=str(PUMPER))
    path = "/api/v1/production/route"
    too_far = await prod.client.get(path, params={"date": (today + timedelta(days=2)).isoformat()}, headers=headers)
    assert too_far.status_code == 422, too_far.text
    assert too_far.json()["errors"][0]["field"] == "query.date"
    tomorrow = await prod.client.get(path, params={"date": (today + timedelta(days=1)).isoformat()}, headers=headers)
    assert tomorrow.status_code == 200, tomorrow.text
    default = await prod.client.get(path, headers=headers)
    assert default.status_code == 200
    assert default.json()["date"] in (today.isoformat(), datetime.now(UTC).date().isoformat())
    assert (await prod.client.get(path, params={"date": "31-08-2026"}, headers=headers)).status_code == 422


async def test_another_organization_sees_nothing_of_a_route(prod):
    site = await prod.site(wells=2)
    assert (await put_route(prod, PUMPER, [site.well_ids[1]])).status_code == 200
    await prod.reading(site.well_ids[1], DAY)

    # organization B, even under the same user id: no assignment there, and none of A's wells, tanks or readings
    assert (await prod.get(f"/api/v1/production/routes/{PUMPER}", org=prod.org_b)).status_code == 404
    assert (await prod.delete(f"/api/v1/production/routes/{PUMPER}", org=prod.org_b)).status_code == 404
    body = await route(prod, org=prod.org_b)
    assert (body["assigned"], body["wells"], body["tanks"], body["done"], body["total"]) == (False, [], [], 0, 0)
    by_b_manager = await prod.client.get(
        "/api/v1/production/route",
        params={"user_id": str(PUMPER)},
        headers=prod.as_role("manager", prod.org_b, subject=str(OTHER_PUMPER)),
    )
    assert by_b_manager.status_code == 404

    site_b = await prod.site(org=prod.org_b, wells=1)
    body = await route(prod, org=prod.org_b)
    assert [w["well_id"] for w in body["wells"]] == [str(site_b.well_ids[0])]
    assert [t["tank_id"] for t in body["tanks"]] == [str(t) for t in site_b.tank_ids]

    # organization B cannot put A's well on one of its routes
    assert (await put_route(prod, PUMPER, [site.well_ids[0]], org=prod.org_b)).status_code == 422
    assert (await prod.get(f"/api/v1/production/routes/{PUMPER}")).json()["well_ids"] == [str(site.well_ids[1])]


async def test_route_assignments_are_under_forced_rls(prod):
    rows = await prod.owner_query(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'route_assignments'"
    )
    assert rows == [(True, True)]
