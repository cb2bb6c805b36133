"""Deferred production and dollars through the API on real PostgreSQL: the well-test fallback valued at
accounting's price x the organization's NRI, the decline fit for a well with history (not yesterday's rate),
the weekly view by reason, the route ordered by dollars at risk, and another organization seeing none of it."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from wellflow_contracts.events.accounting import PriceRecorded
from wellflow_contracts.ids import uuid7


async def _prices(prod, oil: str, gas: str, month: date = date(2026, 8, 1)) -> None:
    for product, price in (("oil", oil), ("gas", gas)):
        await prod.apply(
            PriceRecorded(
                tenant_id=prod.org_a,
                price_id=uuid7(),
                month=month,
                product=product,
                lease_id=None,
                price=Decimal(price),
                source="entered",
                recorded_by="accountant",
                recorded_at=datetime(2026, 9, 1, tzinfo=UTC),
            )
        )


async def test_a_part_day_is_valued_from_the_well_test_at_the_months_price_and_the_nri(prod):
    site = await prod.site(wells=1)  # well test: 10 bbl/d, 20 mcf/d
    await _prices(prod, "70", "3")
    patched = await prod.patch("/api/v1/production/settings", {"net_revenue_interest": "0.75"})
    assert patched.status_code == 200, patched.text
    down = await prod.reading(site.well_ids[0], date(2026, 8, 10), hours_on="18", downtime_reason="mechanical")
    assert down.status_code == 201, down.text
    answer = await prod.get("/api/v1/production/deferred", **{"from": "2026-08-01", "to": "2026-08-31"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # 6 of 24 hours: 2.50 bbl and 5.00 mcf; (2.50 x 70 + 5.00 x 3) x 0.75 = 142.50
    [item] = body["items"]
    assert item["reason"] == "mechanical" and item["bases"] == ["well_test"]
    assert (Decimal(item["oil_bbl"]), Decimal(item["gas_mcf"]), Decimal(item["dollars"])) == (
        Decimal("2.50"),
        Decimal("5.00"),
        Decimal("142.50"),
    )
    assert body["valued_at"] == "net revenue interest" and Decimal(body["total"]["dollars"]) == Decimal("142.50")
    by_lease = (
        await prod.get("/api/v1/production/deferred", group_by="lease", **{"from": "2026-08-01", "to": "2026-08-31"})
    ).json()
    assert [i["lease_id"] for i in by_lease["items"]] == [str(site.lease_id)]

    weekly = (await prod.get("/api/v1/production/deferred/weekly", weeks=2, through="2026-08-12")).json()["weeks"]
    assert [w["week_of"] for w in weekly] == ["2026-08-03", "2026-08-10"]
    assert [Decimal(w["dollars"]) for w in weekly] == [Decimal(0), Decimal("142.50")]
    assert [r["reason"] for r in weekly[1]["reasons"]] == ["mechanical"]

    other = await prod.get("/api/v1/production/deferred", org=prod.org_b, **{"from": "2026-08-01", "to": "2026-08-31"})
    assert other.status_code == 200 and other.json()["items"] == []


async def test_a_well_with_history_is_valued_at_its_decline_not_at_yesterdays_rate(prod):
    site = await prod.site(wells=1)
    well = site.well_ids[0]
    start = date(2026, 5, 1)
    for n in range(90):  # 100 bbl/d declining 0.3 % a day, gas twice the oil
        oil = Decimal(repr(round(100 * math.exp(-0.003 * n), 2)))
        reading = await prod.reading(well, start + timedelta(days=n), oil_bbl=str(oil), gas_mcf=str(oil * 2))
        assert reading.status_code == 201, (n, oil, reading.text)
    # the day before the outage read a bad 20 bbl: a "yesterday's rate" estimate would use it
    bad = await prod.reading(well, date(2026, 8, 4), oil_bbl="20", gas_mcf="40")
    assert bad.status_code == 201, bad.text
    down = await prod.reading(
        well, date(2026, 8, 5), oil_bbl="0", gas_mcf="0", water_bbl="0", hours_on="0", downtime_reason="electrical"
    )
    assert down.status_code == 201, down.text
    body = (
        await prod.get("/api/v1/production/deferred", group_by="well", **{"from": "2026-08-05", "to": "2026-08-05"})
    ).json()
    [item] = body["items"]
    assert item["bases"] == ["decline"]
    on_curve = Decimal(repr(100 * math.exp(-0.003 * (date(2026, 8, 5) - start).days)))  # 74.98
    # the bad day is one point among 91 in the fit: it pulls the curve down a few percent, not to 20
    assert abs(Decimal(item["oil_bbl"]) - on_curve) / on_curve < Decimal("0.1"), item
    assert abs(Decimal(item["gas_mcf"]) - 2 * on_curve) / (2 * on_curve) < Decimal("0.1"), item
    assert item["dollars"] == "0" or Decimal(item["dollars"]) == 0  # no price recorded yet
    assert body["total"]["unpriced_lines"] == 1


async def test_bad_ranges_are_refused(prod):
    backwards = await prod.get("/api/v1/production/deferred", **{"from": "2026-08-05", "to": "2026-08-01"})
    assert backwards.status_code == 422 and "query.to" in backwards.text
    assert (
        await prod.get("/api/v1/production/deferred", group_by="hauler", **{"from": "2026-08-01", "to": "2026-08-02"})
    ).status_code == 422
    assert (await prod.get("/api/v1/production/deferred/weekly", weeks=0)).status_code == 422


async def test_the_route_puts_the_wells_losing_the_most_dollars_first_when_the_manager_turns_it_on(prod):
    site = await prod.site(wells=2)
    await _prices(prod, "70", "3")
    for well in site.well_ids:
        assert (await prod.reading(well, date(2026, 8, 9))).status_code == 201
    down = await prod.reading(site.well_ids[1], date(2026, 8, 10), hours_on="6", downtime_reason="electrical")
    assert down.status_code == 201, down.text
    pumper = prod.as_role("pumper", subject="01938a10-0000-7000-8000-0000000000f1")

    async def route() -> dict:
        answer = await prod.client.get("/api/v1/production/route", params={"date": "2026-08-11"}, headers=pumper)
        assert answer.status_code == 200, answer.text
        return answer.json()

    before = await route()
    assert before["ordered_by"] == "default"
    assert [w["well_id"] for w in before["wells"]] == [str(w) for w in site.well_ids]
    assert (await prod.patch("/api/v1/production/settings", {"route_by_dollars_at_risk": True})).status_code == 200
    after = await route()
    assert after["ordered_by"] == "dollars_at_risk"
    assert [w["well_id"] for w in after["wells"]] == [str(site.well_ids[1]), str(site.well_ids[0])]
