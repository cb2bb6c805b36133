"""Stock on one basis: the lease-month rollup's net stock is the sum over oil tanks of the last gauge's net
standard barrels, and each gauge's net is its gross corrected to 60 F at its own temperature, less BS&W."""

from __future__ import annotations

import calendar
import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

LAST_GAUGES = """
SELECT DISTINCT ON (tg.tank_id) tg.tank_id, tg.net_bbl, tg.net_basis, tg.gauge_date
  FROM tank_gauges tg
 WHERE tg.lease_id = :lease AND tg.gauge_date < :before
 ORDER BY tg.tank_id, tg.gauge_date DESC, tg.gauged_at DESC, tg.id DESC
"""


def _level(inches: int) -> dict[str, int]:
    return {"feet": inches // 12, "inches": inches % 12}


async def _gauge(prod, tank, day: date, hour: int, inches: int, **extra):
    body = {"tank_id": str(tank), "gauged_at": f"{day.isoformat()}T{hour:02d}:00:00Z", "gauge_date": day.isoformat()}
    answer = await prod.post("/api/v1/tank-gauges", {**body, **_level(inches), **extra}, role="pumper")
    assert answer.status_code == 201, answer.text
    return answer.json()


async def _month(prod, rng: random.Random, tanks, levels: dict, first: date, number: int, *, gauge_all: bool):
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    for index, tank in enumerate(tanks):
        level = levels[tank]
        level = min(level + rng.randint(5, 60), 240)
        temperature = str(rng.randint(30, 110))
        await _gauge(prod, tank, first.replace(day=10), 7, level, temperature_f=temperature)
        if level >= 40:
            closing = rng.randint(0, level - 20)
            ticket = {
                "ticket_number": f"N-{number}-{index}",
                "purchaser": "Plains",
                "tank_id": str(tank),
                "taken_at": f"{first.replace(day=15).isoformat()}T12:00:00Z",
                "opening_gauge": _level(level),
                "closing_gauge": _level(closing),
                "observed_gravity_api": str(Decimal(rng.randint(200, 500)) / 10),
                "observed_temperature_f": str(rng.randint(30, 110)),
                "opening_temperature_f": str(rng.randint(30, 110)),
                "closing_temperature_f": str(rng.randint(30, 110)),
                "bsw_percent": str(Decimal(rng.randint(0, 200)) / 100),
                "price_per_bbl": "71.2500",
            }
            answer = await prod.post("/api/v1/run-tickets", ticket)
            assert answer.status_code == 201, answer.text
            level = closing
        level = min(level + rng.randint(0, 40), 240)
        if gauge_all or index == 0:
            extra = {"temperature_f": str(rng.randint(30, 110))}
            if rng.random() < 0.5:
                extra["bsw_percent"] = str(Decimal(rng.randint(0, 200)) / 100)
            await _gauge(prod, tank, last, 23, level, **extra)
        levels[tank] = level
    return last


async def test_the_rollups_net_stock_is_the_sum_of_the_last_gauges_nets(prod):
    site = await prod.site()
    tanks = site.tank_ids[:2]
    rng = random.Random(1515)
    levels = {tank: 0 for tank in tanks}
    for tank in tanks:  # the opening stock, without a temperature: accepted, not corrected, flagged
        opening = await _gauge(prod, tank, date(2026, 1, 31), 23, 30)
        assert opening["net_basis"] == "no_temperature" and opening["net_bbl"] == opening["barrels"]
        levels[tank] = 30
    for number, month in enumerate(range(2, 7)):
        first = date(2026, month, 1)
        await _month(prod, rng, tanks, levels, first, number, gauge_all=month != 4)
        row = (
            await prod.tenant_query(
                "SELECT * FROM lease_months WHERE lease_id = :lease AND month = :month",
                lease=site.lease_id,
                month=first,
            )
        )[0]
        before = await prod.tenant_query(LAST_GAUGES, lease=site.lease_id, before=first)
        after = await prod.tenant_query(LAST_GAUGES, lease=site.lease_id, before=date(2026, month + 1, 1))
        assert row["beginning_net_stock_bbl"] == sum(g["net_bbl"] for g in before)
        assert row["ending_net_stock_bbl"] == sum(g["net_bbl"] for g in after)
        assert row["month_end_gauged"] is (month != 4)
        flagged = {(g["stock"], g["basis"]) for g in row["uncorrected_stock_gauges"]}
        assert flagged == ({("beginning", "no_temperature")} if month == 2 else set())
    gauges = await prod.tenant_query("SELECT * FROM tank_gauges WHERE net_basis = 'standard'")
    for g in gauges:
        factor = 1 - (g["bsw_percent"] or Decimal(0)) / 100
        assert g["net_bbl"] == (g["barrels"] * g["ctl"] * factor).quantize(CENT, rounding=ROUND_HALF_UP)
    tickets = await prod.tenant_query("SELECT * FROM run_tickets")
    by_ticket = {(g["run_ticket_id"], g["source"]): g["net_bbl"] for g in gauges if g["run_ticket_id"]}
    for t in tickets:
        taken = by_ticket[(t["id"], "ticket_opening")] - by_ticket[(t["id"], "ticket_closing")]
        assert abs(taken - t["net_bbl"]) <= CENT  # each figure rounded to 0.01 on its own
        assert t["price_per_bbl"] == Decimal("71.2500")
    events = await prod.outbox("production.lease_month_updated.v1")
    latest = max((e for e in events if e["month"] == "2026-03-01"), key=lambda e: e["revision"])
    assert latest["month_end_gauged"] is True and latest["ending_net_stock_bbl"] is not None
    sold = await prod.outbox("production.run_ticket_recorded.v1")
    assert {e["price_per_bbl"] for e in sold} == {"71.2500"}
