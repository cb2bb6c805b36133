"""The console's owner-payment-law pages in Chromium against a whole stack with the demo tenant: the late-payment
clock with the API's figures, an owner's information request recorded and answered, and the unclaimed-property
page."""

from __future__ import annotations

from datetime import date

import httpx
from console_kit import screenshot, sign_in

from wellflow_devstack.demo import OWNER, PASSWORD


async def _headers(gateway: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_late_payments_requests_and_escheat_pages(gateway, console, console_demo) -> None:
    owner = await _headers(gateway, OWNER[0])
    clock = (
        await gateway.get("/api/v1/late-payments", params={"late_only": True, "sort": "-days_late"}, headers=owner)
    ).json()
    everything = (await gateway.get("/api/v1/late-payments", headers=owner)).json()
    assert everything["total"] > 0  # the demo's finalized month is on the clock

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    await page.goto("/#/accounting/late-payments")
    table = page.get_by_role("region", name="Late-payment clock")
    if clock["total"]:
        await table.wait_for()
        assert await table.locator("tbody tr").count() == min(clock["total"], 50)
    else:
        await page.get_by_text("Nothing is late.").wait_for()
    await page.get_by_label("Show").select_option("0")  # everything on the clock, the demo's finalized month too
    await table.locator("tbody tr").nth(min(everything["total"], 50) - 1).wait_for()
    assert await table.locator("tbody tr").count() == min(everything["total"], 50)
    await page.get_by_role("button", name="Run today's check").click()
    await page.get_by_text("newly late items announced").wait_for()
    await screenshot(page, "accounting-late-payments")

    await page.goto("/#/accounting/information-requests")
    await page.get_by_label("The request in the owner's words").fill("Please explain the deductions.")
    await page.get_by_role("button", name="Record").click()
    await page.get_by_text("Recorded: answer by").wait_for()
    requests = page.get_by_role("region", name="Information requests")
    row = requests.locator("tbody tr").filter(has_text="Please explain the deductions.")
    await row.wait_for()
    await row.get_by_role("button", name="Mark answered today").click()
    await page.get_by_text("Answer recorded.").wait_for()  # answered: it leaves the open requests
    await page.get_by_label("Show").select_option("all")
    await row.get_by_text(f"sent {date.today().isoformat()}").wait_for()
    listed = (await gateway.get("/api/v1/information-requests", headers=owner)).json()
    assert listed["total"] == 1 and listed["items"][0]["answered_on"] == date.today().isoformat()

    candidates = (await gateway.get("/api/v1/escheat/candidates", headers=owner)).json()
    await page.goto("/#/accounting/escheat")
    if candidates["total"]:
        region = page.get_by_role("region", name="Owners with suspense")
        await region.wait_for()
        assert await region.locator("tbody tr").count() == candidates["total"]
    else:
        await page.get_by_text("No suspense is held.").wait_for()
    await page.get_by_text("No report yet.").wait_for()
    await page.get_by_role("button", name="Build report").wait_for()  # the owner may file the year's report
    await screenshot(page, "accounting-escheat")
