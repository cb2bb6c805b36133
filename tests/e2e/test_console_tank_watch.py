"""The manager's Tank watch in a real browser on the demo company: the tank drop with no ticket (lease A) and the
short load (lease B) the demo plants on its last day are open tank alarms through the gateway, the page lists
them, opens a tank's daily balance with the gap, and the hauler watch shows the short load's hauler."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from console_kit import screenshot, sign_in

from wellflow_devstack import demo_battery
from wellflow_devstack.demo import OWNER, PASSWORD


async def test_the_manager_finds_the_planted_drop_and_short_load_on_tank_watch(console, console_demo, gateway):
    last = console_demo.history.last_day
    if (last + timedelta(days=1)).day == 1:
        pytest.skip("the demo plants nothing when its last day is a month end")
    signin = await gateway.post("/api/v1/auth/signin", json={"email": OWNER[0], "password": PASSWORD})
    headers = {"authorization": f"Bearer {signin.json()['access_token']}"}
    alarms = (await gateway.get("/api/v1/production/tank-alarms", headers=headers)).json()["items"]
    gaps = {
        a["lease_id"]: Decimal(a["details"]["gap_bbl"])
        for a in alarms
        if a["kind"] == "tank_balance_gap" and a["day"] == last.isoformat()
    }
    assert gaps == {
        console_demo.lease_ids["A"]: -demo_battery.MISSING_BBL,
        console_demo.lease_ids["B"]: -demo_battery.SHORT_BBL,
    }, alarms
    window = {"from": (last - timedelta(days=30)).isoformat(), "to": last.isoformat()}
    haulers = (await gateway.get("/api/v1/production/hauler-watch", params=window, headers=headers)).json()["items"]
    short = next(h for h in haulers if h["hauler"] == demo_battery.SHORT_HAULER)
    assert (short["tickets"], Decimal(short["mean_difference_bbl"]), short["flagged"]) == (
        1,
        demo_battery.SHORT_BBL,
        False,
    )

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    await page.get_by_role("heading", name="Deferred dollars (downtime, last 4 weeks)").wait_for()
    await page.get_by_role("link", name="Tank watch", exact=True).first.click()
    await page.get_by_role("heading", name="Open tank alarms").wait_for()
    alarms_table = page.get_by_role("region", name="Open tank alarms")
    assert await alarms_table.get_by_text("off balance").count() >= 2
    off = alarms_table.locator("tr", has_text="off balance").first
    await off.get_by_role("link", name="Balance").click()
    balance = page.get_by_role("region", name="Daily tank balance")
    await balance.wait_for()
    assert await balance.get_by_text("alarm", exact=True).count() >= 1
    assert demo_battery.SHORT_HAULER in await page.get_by_role("region", name="Hauler watch").inner_text()
    await screenshot(page, "tank-watch")
