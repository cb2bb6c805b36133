"""The office's production pages in a real browser: the dashboard opens on the whole company with the API's
totals and per-day rates, month-year chart labels and real dates for screen readers, then charts a lease's
monthly production with the same figures the API's monthly series holds (and the demo loaded); an alert shows
the pumper's reason and is acknowledged with a note on a phone, with nothing scrolling sideways; the wells list
filters by status through the API, and a well's page shows its status history."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from console_kit import screenshot, sign_in

from wellflow_devstack.demo import OWNER, PASSWORD, PUMPER

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "").strip())


def _volume(value: str) -> str:
    """A summary volume as the console writes it (lib/format.js): whole from 100 up, one decimal below."""
    exact = Decimal(value)
    one = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    shown = exact.quantize(Decimal(1), rounding=ROUND_HALF_UP) if abs(one) >= 100 or one == one.to_integral() else one
    return f"{shown:,}"


async def test_the_office_reads_the_company_total_and_a_lease_and_finds_a_shut_in_well(console, console_demo, gateway):
    demo = console_demo
    signin = await gateway.post("/api/v1/auth/signin", json={"email": OWNER[0], "password": PASSWORD})
    headers = {"authorization": f"Bearer {signin.json()['access_token']}"}
    lease_id = demo.lease_ids["A"]
    monthly = (await gateway.get(f"/api/v1/production/leases/{lease_id}/monthly", headers=headers)).json()["points"]
    assert len(monthly) >= 3
    this_month = date.today().replace(day=1).isoformat()
    company = (await gateway.get("/api/v1/production/organization/monthly", headers=headers)).json()["points"]
    now = next((p for p in company if p["month"] == this_month), {"liquid_bbl": "0", "gas_mcf": "0", "water_bbl": "0"})

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    assert await page.evaluate("location.hash") == "#/dashboard"
    # every lease by default: the company's total this month is the API's, rounded for reading
    await page.get_by_role("heading", name="This month so far: the company (all leases)").wait_for()
    assert await page.get_by_label("Lease", exact=True).input_value() == ""
    for product, column, unit in (
        ("oil", "liquid_bbl", "bbl"),
        ("gas", "gas_mcf", "mcf"),
        ("water", "water_bbl", "bbl"),
    ):
        tile = page.locator(f".month-so-far .stat[data-product={product}]")
        assert await tile.locator(".value").get_attribute("data-total") == now[column]
        assert await tile.locator(".value").inner_text() == f"{_volume(now[column])} {unit}"
        assert "company total" in await tile.inner_text()
    if date.today().day > 1:  # per day, this month's days against the same days of last month
        assert f"/day on {MONTHS[(date.today().month - 2) % 12]} 1" in await page.locator(".month-so-far").inner_text()

    # month-year labels under the monthly chart ("Dec 2026", never "Dec 26"); real dates for screen readers
    charts = page.locator("section.production svg.chart")
    assert await charts.count() == 2
    labels = await charts.nth(1).locator("text").evaluate_all("els => els.map((e) => e.textContent)")
    assert any(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", label) for label in labels), labels
    assert not any(re.fullmatch(r"[A-Z][a-z]{2} \d{2}", label) for label in labels), labels
    described = await charts.nth(0).get_attribute("aria-label")
    last_day = demo.history.last_day
    assert (
        "Invalid Date" not in described and f"{MONTHS[last_day.month - 1]} {last_day.day}, {last_day.year}" in described
    )
    assert "not over" in await charts.nth(1).get_attribute("aria-label")  # the current month drawn as partial
    bars = await page.locator(".production-box > svg.chart").get_attribute("aria-label")  # rates per day
    previous = (date.today().replace(day=1) - timedelta(days=1)).strftime("%B %Y")
    assert f"{previous}, average per day" in bars, bars
    await screenshot(page, "office-dashboard-company")

    await page.goto(f"/#/dashboard?lease={lease_id}")
    await page.get_by_role("heading", name="This month so far: Whitfield Ranch").wait_for()
    await page.locator("section.production").wait_for()
    assert "Whitfield Ranch" in await charts.nth(1).get_attribute("aria-label")
    assert await charts.nth(0).locator("path.series-forecast").count() == 1
    assert "Estimated ultimate recovery (EUR)" in await page.locator("section.production").inner_text()
    for kind in ("oil", "gas", "water"):
        assert await charts.nth(1).locator(f"path.series-{kind}:not(.partial)").count() == 1
    points = await charts.nth(1).locator("path.series-oil:not(.partial)").get_attribute("d")
    partial = await charts.nth(1).locator("path.series-oil.partial").count()
    assert points.count(",") + partial == len(monthly)

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

    # a well's page: its facts and status history, dates in the one style, the API number dashed
    well = shut_in[0]
    history = (await gateway.get(f"/api/v1/wells/{well['id']}/status-history", headers=headers)).json()
    assert [h["to_status"] for h in history][-1] == "shut_in"
    await page.get_by_role("link", name=well["name"], exact=True).click()
    await page.get_by_role("heading", name=well["name"], exact=True).wait_for()
    changes = page.locator(".status-history tbody tr")
    assert await changes.count() == len(history)
    newest = await changes.first.inner_text()
    effective = date.fromisoformat(history[-1]["effective_date"])
    assert "shut in" in newest and f"{MONTHS[effective.month - 1]} {effective.day}, {effective.year}" in newest
    assert re.search(r"42-\d{3}-\d{5}", await page.locator("dl.kv").inner_text())
    await page.locator("section.production svg.chart").first.wait_for()
    await screenshot(page, "office-well")

    # the same pages at a phone's width
    await page.set_viewport_size({"width": 375, "height": 812})
    await page.reload()
    await page.locator("section.production svg.chart").first.wait_for()
    await screenshot(page, "office-well")
    await page.goto("/#/dashboard")
    await page.locator("section.production svg.chart").first.wait_for()
    await screenshot(page, "office-dashboard-company")
    assert page.js_errors == []


async def test_the_office_sees_the_pumpers_reason_and_acknowledges_with_a_note_on_a_phone(
    console, console_demo, gateway
):
    signin = await gateway.post("/api/v1/auth/signin", json={"email": OWNER[0], "password": PASSWORD})
    headers = {"authorization": f"Bearer {signin.json()['access_token']}"}
    open_alerts = (
        await gateway.get("/api/v1/production-alerts", headers=headers, params={"acknowledged": "false", "limit": 500})
    ).json()["items"]
    assert open_alerts and console_demo.alerts == len(open_alerts)
    # the pumper records a well down today with the reason, and the day's check raises the alert
    producing = (await gateway.get("/api/v1/wells", headers=headers, params={"status": "producing"})).json()["items"]
    well = producing[0]
    today = date.today().isoformat()
    down = {"well_id": well["id"], "production_date": today, "oil_bbl": "0", "gas_mcf": "0", "water_bbl": "0"}
    down |= {"hours_on": "0", "downtime_reason": "mechanical", "comments": "rod parted at 4 a.m."}
    assert (await gateway.post("/api/v1/readings", headers=headers, json=down)).status_code == 201
    checked = await gateway.post("/api/v1/production-alerts/checks", headers=headers, json={"day": today})
    (alert,) = [a for a in checked.json()["raised"] if a["kind"] == "zero_hours"]

    page = await console.open(phone=True)
    await sign_in(page, OWNER[0], PASSWORD)
    await page.goto("/#/alerts")
    card = page.locator(f'li.alert-card[data-alert="{alert["alert_id"]}"]')
    await card.wait_for()
    reason = await card.locator(".alert-reason").inner_text()
    assert "Mechanical failure" in reason and "rod parted at 4 a.m." in reason and "0 of 24 hours" in reason
    # at 375 px nothing scrolls sideways: the page, and each card, fit the screen
    widths = await page.evaluate(
        "() => [document.scrollingElement.scrollWidth, ...[...document.querySelectorAll('.alert-card')]"
        ".map((c) => c.getBoundingClientRect().right)]"
    )
    assert max(widths) <= 375, widths
    assert await page.locator(".alerts table").count() == 0

    await card.get_by_role("button", name=f"Acknowledge: {alert['message']}").click()
    await card.get_by_label("Note (what was done or found)").fill("Rig called; pulling rods tomorrow")
    await card.get_by_role("button", name="Acknowledge with note").click()
    await page.locator(".flash").filter(has_text="Acknowledged").wait_for()
    card = page.locator(f'li.alert-card[data-alert="{alert["alert_id"]}"]')
    await card.locator(".alert-note").filter(has_text="Rig called; pulling rods tomorrow").wait_for()
    assert await card.get_by_role("button", name=f"Acknowledge: {alert['message']}").count() == 0
    acknowledged = (
        await gateway.get("/api/v1/production-alerts", headers=headers, params={"acknowledged": "true"})
    ).json()["items"]
    assert [(a["alert_id"], a["acknowledgement_note"]) for a in acknowledged] == [
        (alert["alert_id"], "Rig called; pulling rods tomorrow")
    ]
    me = (await gateway.get("/api/v1/me", headers=headers)).json()
    assert acknowledged[0]["acknowledged_by"] == me["user_id"]
    await screenshot(page, "office-alerts")
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
