"""The filing calendar of a company that came with history, in a real browser against a whole stack with the demo
tenant: with no go-live month its past months are overdue; the owner records one month filed outside WellFlow (it
shows closed with its confirmation number, and nothing is submitted), then sets the go-live month and the overdue
count clears, the months before it shown as "before WellFlow"."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from console_kit import screenshot, sign_in
from playwright.async_api import expect

from wellflow_devstack.demo import OWNER, PASSWORD

CALENDAR = "/api/v1/filing-calendar"


async def _headers(gateway) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": OWNER[0], "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def _overdue(gateway, headers) -> list[dict]:
    yesterday = date.fromordinal(date.today().toordinal() - 1)
    query = {"pending_only": "true", "due_to": str(yesterday), "limit": 200}
    response = await gateway.get(CALENDAR, headers=headers, params=query)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _month_label(period: str) -> str:
    return date.fromisoformat(period).strftime("%B %Y")


async def test_go_live_clears_the_overdue_count_and_a_month_filed_outside_shows_closed(gateway, console, console_demo):
    headers = await _headers(gateway)
    scope = (await gateway.get(f"{CALENDAR}/scope", headers=headers)).json()
    assert scope["source"] == "first_data" and await _overdue(gateway, headers) == []  # the demo arrived this month

    # the company's history counted in full: its past months are overdue
    cleared = await gateway.put(f"{CALENDAR}/scope", headers=headers, json={"go_live_month": None, "clear": True})
    assert cleared.status_code == 200, cleared.text
    overdue = await _overdue(gateway, headers)
    assert len(overdue) >= 2, overdue
    oldest = min((o for o in overdue if o["obligation"] == "form_pr"), key=lambda o: o["period"])

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    await page.goto("/#/compliance/calendar?due_from=2000-01-01")
    stat = page.locator(".stat-overdue .value")
    await expect(stat).to_have_text(str(len(overdue)))
    await expect(page.locator(".go-live")).to_contain_text("No go-live month")

    # the oldest Form PR was filed on the RRC's site before WellFlow: recorded with its confirmation number
    row = page.locator("tbody tr").filter(has_text="Form PR (RRC").filter(has_text=_month_label(oldest["period"]))
    await row.get_by_text("Filed outside WellFlow…").click()
    form = row.locator("form.outside-form")
    await form.get_by_label("Confirmation number").fill("PR-0931-7741")
    await form.get_by_label("Filed on").fill(oldest["due_date"])
    await form.get_by_role("button", name="Record the filing").click()
    await expect(stat).to_have_text(str(len(overdue) - 1))
    row = page.locator("tbody tr").filter(has_text="Form PR (RRC").filter(has_text=_month_label(oldest["period"]))
    await expect(row).to_contain_text("filed outside WellFlow")
    await expect(row).to_contain_text("Confirmation PR-0931-7741")
    await expect(row).not_to_contain_text("overdue")
    submissions = (await gateway.get("/api/v1/compliance/submissions", headers=headers)).json()["items"]
    assert not [s for s in submissions if s["period"].startswith(oldest["period"][:7])], submissions  # nothing sent

    # WellFlow went live this month: what fell due before it is out of scope, the overdue count clears
    this_month = date.today().strftime("%Y-%m")
    go_live = page.get_by_role("form", name="Set the go-live month")
    await go_live.get_by_label("Go-live month", exact=True).fill(this_month)
    await go_live.get_by_label("Why (kept in the audit trail)").fill("first month filed with WellFlow")
    await go_live.get_by_role("button", name="Save go-live month").click()
    await expect(stat).to_have_text("0")
    await expect(page.locator(".go-live .go-live-month")).to_have_text(date.today().strftime("%B %Y"))
    table = page.get_by_role("region", name="Due dates")
    await expect(table.get_by_text("before WellFlow", exact=True).first).to_be_visible()
    assert await _overdue(gateway, headers) == []
    trail = (await gateway.get(f"{CALENDAR}/audit", headers=headers)).json()["items"]
    assert [e["action"] for e in trail][:2] == ["go_live_set", "filed_outside"], trail
    await screenshot(page, "compliance-calendar-go-live")
    assert page.js_errors == []


def _money(amount: str) -> str:
    """As the console writes money (lib/format.js): $ with grouped dollars, to the cent half up."""
    return f"${Decimal(amount).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


async def test_the_severance_page_shows_the_price_used_and_totals_equal_to_the_revenue_run(
    gateway, console, console_demo
):
    headers = await _headers(gateway)
    [run] = [r for r in (await gateway.get("/api/v1/revenue/runs", headers=headers)).json()["items"]]
    month = run["month"][:7]
    assert run["status"] == "finalized" and run["warnings"] == [], run
    summary = (await gateway.get(f"/api/v1/severance-tax/months/{month}/summary", headers=headers)).json()
    # the demo entered its prices once, in accounting: the owners' share of the tax is the revenue run's tax
    assert summary["totals"]["owners_tax"] == run["totals"]["severance_tax"], (summary, run["totals"])
    taxes = (await gateway.get("/api/v1/severance-tax", headers=headers, params={"month": month})).json()["items"]
    sources = {line["value_source"] for tax in taxes for line in tax["lines"] if line["borne_by_owners"]}
    assert sources <= {"run_tickets", "run_tickets+accounting_month_price", "accounting_month_price"}, sources
    assert all(tax["prices"]["gas"]["origin"] == "accounting_month" for tax in taxes if tax["prices"]["gas"]), taxes
    oil = next(tax for tax in taxes if tax["ticket_prices"])
    gas_price = next(
        p
        for p in (await gateway.get("/api/v1/prices", headers=headers, params={"month": run["month"]})).json()["items"]
        if p["product"] == "gas" and not p["lease_id"]
    )

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    await page.goto(f"/#/compliance/severance?month={month}")
    await expect(page.locator(".tax-summary .total-owners")).to_have_text(_money(run["totals"]["severance_tax"]))
    await expect(page.locator(".tax-summary .total-all")).to_have_text(_money(summary["totals"]["total"]))
    await expect(page.locator(".reconcile-verdict")).to_contain_text("They agree.")
    await expect(page.locator(".reconcile-verdict .run-tax")).to_have_text(_money(run["totals"]["severance_tax"]))
    lease = page.locator(f'section.lease-tax[data-lease-id="{oil["lease_id"]}"]')
    used = lease.get_by_role("region", name="Prices used for")
    await expect(used).to_contain_text("run tickets: the purchaser's price")
    await expect(used).to_contain_text(f"{_money(oil['ticket_prices']['price'])}/BBL")
    await expect(used).to_contain_text("accounting: the month's price")
    await expect(used).to_contain_text(f"{_money(gas_price['price'])}/MCF")
    # every product has its month's price: nothing asks for a price again
    await expect(page.get_by_role("form", name="Enter the month's prices")).to_have_count(0)
    await expect(page.get_by_label("Oil price ($/BBL)")).to_have_count(0)
    await expect(page.get_by_role("region", name="Prices for")).to_contain_text("every lease")
    await screenshot(page, "compliance-severance")
    assert page.js_errors == []
