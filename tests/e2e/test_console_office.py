"""The office's production pages in a real browser: the dashboard charts a lease's monthly production and shows
the same figures the API's monthly series holds (and the demo loaded), an open alert is acknowledged from the
dashboard and the API then says so, the wells list filters by status through the API, and a well's page shows
its status history."""

from __future__ import annotations

from decimal import Decimal

from console_kit import screenshot, sign_in

from wellflow_devstack.demo import OWNER, PASSWORD, PUMPER


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "").strip())


async def test_the_office_reads_production_acknowledges_an_alert_and_finds_a_shut_in_well(
    console, console_demo, gateway
):
    demo = console_demo
    signin = await gateway.post("/api/v1/auth/signin", json={"email": OWNER[0], "password": PASSWORD})
    headers = {"authorization": f"Bearer {signin.json()['access_token']}"}
    lease_id = demo.lease_ids["A"]
    monthly = (await gateway.get(f"/api/v1/production/leases/{lease_id}/monthly", headers=headers)).json()["points"]
    assert len(monthly) >= 3
    open_alerts = (
        await gateway.get("/api/v1/production-alerts", headers=headers, params={"acknowledged": "false", "limit": 500})
    ).json()["items"]
    assert open_alerts and demo.alerts == len(open_alerts)

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    assert await page.evaluate("location.hash") == "#/dashboard"
    await page.goto(f"/#/dashboard?lease={lease_id}")
    await page.locator("section.production").wait_for()

    # the charts: daily oil, gas, water and the dashed forecast; monthly oil, gas, water
    charts = page.locator("section.production svg.chart")
    assert await charts.count() == 2
    assert "Whitfield Ranch" in await charts.nth(1).get_attribute("aria-label")
    assert await charts.nth(0).locator("path.series-forecast").count() == 1
    for kind in ("oil", "gas", "water"):
        assert await charts.nth(1).locator(f"path.series-{kind}").count() == 1
    points = await charts.nth(1).locator("path.series-oil").get_attribute("d")
    assert points.count(",") == len(monthly)

    # the figures under the chart are the API's monthly series, which is what the demo loaded
    await page.get_by_text("Monthly figures").click()
    rows = page.locator("details.monthly-figures tbody tr")
    assert await rows.count() == len(monthly)
    for point in monthly:
        cells = await rows.filter(has=page.locator(f'[data-month="{point["month"]}"]')).locator("td").all_inner_texts()
        shown = [_decimal(text) for text in cells[1:4]]
        assert shown == [Decimal(point["oil_bbl"]), Decimal(point["gas_mcf"]), Decimal(point["water_bbl"])], point
    loaded = {m.isoformat(): oil for (lease, m), oil in demo.oil_by_lease_month.items() if lease == "A"}
    a_month = monthly[-2]["month"]
    cells = await rows.filter(has=page.locator(f'[data-month="{a_month}"]')).locator("td").all_inner_texts()
    assert _decimal(cells[1]) == loaded[a_month]
    await screenshot(page, "office-dashboard")

    # open alerts listed, newest first as the API lists them; acknowledge one
    listed = page.locator("div.alerts").first.locator("tbody tr")
    assert await listed.count() == min(10, len(open_alerts))
    assert open_alerts[0]["message"] in await listed.first.inner_text()
    chosen = open_alerts[0]
    await page.get_by_role("button", name=f"Acknowledge: {chosen['message']}", exact=True).click()
    await page.locator(".flash").filter(has_text="Acknowledged").wait_for()
    await page.get_by_role("button", name=f"Acknowledge: {chosen['message']}", exact=True).wait_for(state="detached")
    acknowledged = (
        await gateway.get("/api/v1/production-alerts", headers=headers, params={"acknowledged": "true"})
    ).json()["items"]
    assert [a["alert_id"] for a in acknowledged] == [chosen["alert_id"]]
    me = (await gateway.get("/api/v1/me", headers=headers)).json()
    assert acknowledged[0]["acknowledged_by"] == me["user_id"]
    assert acknowledged[0]["acknowledged_at"]

    # the wells list filtered by status shows only those wells (the status kept in the URL)
    shut_in = (await gateway.get("/api/v1/wells", headers=headers, params={"status": "shut_in"})).json()["items"]
    everyone = (await gateway.get("/api/v1/wells", headers=headers)).json()["total"]
    assert 0 < len(shut_in) < everyone
    await page.goto("/#/wells")
    await page.get_by_role("heading", name=f"Wells ({everyone})").wait_for()
    await page.get_by_label("Status").select_option("shut_in")
    await page.get_by_role("heading", name=f"Wells ({len(shut_in)})").wait_for()
    assert "status=shut_in" in await page.evaluate("location.hash")
    names = await page.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == sorted(w["name"] for w in shut_in)
    assert set(await page.locator("tbody .badge").all_inner_texts()) == {"shut in"}

    # a well's page: its facts and status history
    well = shut_in[0]
    history = (await gateway.get(f"/api/v1/wells/{well['id']}/status-history", headers=headers)).json()
    assert [h["to_status"] for h in history][-1] == "shut_in"
    await page.get_by_role("link", name=well["name"], exact=True).click()
    await page.get_by_role("heading", name=well["name"], exact=True).wait_for()
    changes = page.locator(".status-history tbody tr")
    assert await changes.count() == len(history)
    newest = await changes.first.inner_text()
    assert "shut in" in newest and history[-1]["effective_date"] in newest
    assert well["api_number"] in await page.locator("dl.kv").inner_text()
    await page.locator("section.production svg.chart").first.wait_for()
    await screenshot(page, "office-well")

    # the same pages at a phone's width
    await page.set_viewport_size({"width": 375, "height": 812})
    await page.reload()
    await page.locator("section.production svg.chart").first.wait_for()
    await screenshot(page, "office-well")
    await page.goto(f"/#/dashboard?lease={lease_id}")
    await page.locator("section.production svg.chart").first.wait_for()
    await screenshot(page, "office-dashboard")
    assert page.js_errors == []


async def test_owner_plans_the_pumpers_route_and_the_pumper_walks_it(console, console_demo, gateway):
    signin = await gateway.post("/api/v1/auth/signin", json={"email": PUMPER[0], "password": PASSWORD})
    pumper_id = signin.json()["user_id"]
    headers = {"Authorization": f"Bearer {signin.json()['access_token']}"}
    planned = (await gateway.get(f"/api/v1/production/routes/{pumper_id}", headers=headers)).json()["well_ids"]
    assert len(planned) >= 3  # the demo plans the pumper's route

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    await page.goto("/#/team")
    await page.get_by_role("link", name=f"Route of {PUMPER[1]}").click()
    await page.get_by_role("heading", name=f"Route of {PUMPER[1]}").wait_for()
    stops = page.locator("ol.plan-stops li[data-well-id]")
    assert await stops.evaluate_all("els => els.map(e => e.dataset.wellId)") == planned
    second = await stops.nth(1).locator("strong").inner_text()
    last = await stops.nth(len(planned) - 1).locator("strong").inner_text()
    await page.get_by_role("button", name=f"Move {second} up").click()
    await page.get_by_role("button", name=f"Take {last} off the route").click()
    await page.get_by_role("button", name="Save the route").click()
    await page.get_by_text("route saved").wait_for()
    expected = [planned[1], planned[0], *planned[2:-1]]
    saved = (await gateway.get(f"/api/v1/production/routes/{pumper_id}", headers=headers)).json()["well_ids"]
    assert saved == expected
    await screenshot(page, "owner-route-plan")

    phone = await console.open(phone=True)
    await sign_in(phone, PUMPER[0], PASSWORD)
    await phone.locator("li.route-item[data-well-id]").first.wait_for()
    shown = await phone.locator("li.route-item[data-well-id]").evaluate_all("els => els.map(e => e.dataset.wellId)")
    assert set(shown) == set(expected) and len(shown) == len(expected)  # grouped by lease on the page
    assert page.js_errors == [] and phone.js_errors == []
