"""The compliance pages in a real browser against a whole stack with the demo tenant: a lease with an impossible
disposition shows its problem on its own row of the Form PR, the stand-in's answer to last month's filing is on the
submissions page labelled as the stand-in's (nothing was sent to the RRC), and the filing calendar lists what is due,
the Form PR still awaiting the RRC's confirmation."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from console_kit import screenshot, sign_in
from playwright.async_api import expect

from wellflow_devstack.demo import ACCOUNTANT, PASSWORD


async def _token(gateway) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": ACCOUNTANT[0], "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def _report(gateway, headers, period: str) -> dict:
    response = await gateway.get(f"/api/v1/form-pr/{period}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_form_pr_shows_a_lease_in_error_submissions_and_the_calendar(gateway, console, console_demo):
    headers = await _token(gateway)
    period = console_demo.form_pr_period
    assert console_demo.form_pr_state == "accepted", console_demo.form_pr_state
    report = await _report(gateway, headers, period)
    oil = [line for line in report["lines"] if line["lease_type"] == "oil" and line["liquid_production"] > 0]
    assert len(oil) >= 2, report["lines"]

    def trucked_of(line: dict) -> int:
        return sum(d["volume"] for d in line["liquid_dispositions"] if d["code"] == "01")

    broken = max(oil, key=trucked_of)  # a lease whose oil left on trucks this month
    other = next(line for line in oil if line["lease_id"] != broken["lease_id"])
    trucked = trucked_of(broken)
    assert trucked > 0, oil

    # a typo in the office: the month's trucked barrels taken back with 500 too many. The tanks' gauges still fix
    # the ending stock (the inventory method), so the line shows the impossible disposition as an error
    response = await gateway.post(
        f"/api/v1/form-pr/{period}/adjustments",
        headers=headers,
        json={
            "lease_id": broken["lease_id"],
            "product": "liquid",
            "code": "01",
            "volume": str(-(trucked + 500)),
            "reason": "stock written off after the tank audit",
        },
    )
    assert response.status_code == 201, response.text
    for _ in range(50):
        report = await _report(gateway, headers, period)
        line = next(item for item in report["lines"] if item["lease_id"] == broken["lease_id"])
        if any(issue["code"] == "negative-disposition" for issue in line["issues"]):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError(f"no disposition error: {line}")
    assert line["liquid_disposed"] == -500 and line["ending_stock"] == broken["ending_stock"], line
    assert line["liquid_production"] == line["ending_stock"] - line["beginning_stock"] - 500, line
    assert report["amendment_needed"] is True and report["ready_to_submit"] is False

    page = await console.open()
    await sign_in(page, ACCOUNTANT[0], PASSWORD)
    await page.goto(f"/#/compliance/form-pr?month={period}")
    row = page.locator(f'tbody[data-lease-id="{broken["lease_id"]}"]')
    await expect(row).to_contain_text(broken["lease_name"])
    await expect(row).to_contain_text("adjustments took back more than was recorded")
    await expect(row).to_contain_text("disposition 01 adds up to -500 BBL")
    await expect(row.locator('td[data-label="Ending stock"]')).to_have_text(f"{broken['ending_stock']:,}")
    errors = [issue for issue in line["issues"] if issue["severity"] == "error"]
    await expect(row.locator('td[data-label="Checks"]')).to_contain_text(f"{len(errors)} error")
    for issue in errors:  # every problem of the lease is shown under its own row
        await expect(row.locator("tr.issues")).to_contain_text(issue["message"])
    await expect(page.locator(f'tbody[data-lease-id="{other["lease_id"]}"]')).not_to_contain_text("took back more")
    await expect(page.locator(".report-state")).to_contain_text("amendment needed")
    await expect(page.get_by_role("button", name="File an amendment")).to_be_disabled()
    await expect(page.locator(".adjustment-list")).to_contain_text("stock written off after the tank audit")
    await screenshot(page, "compliance-form-pr")

    phone = await console.open(phone=True)
    await sign_in(phone, ACCOUNTANT[0], PASSWORD)
    await phone.goto(f"/#/compliance/form-pr?month={period}")
    await expect(phone.locator(f'tbody[data-lease-id="{broken["lease_id"]}"]')).to_contain_text("took back more")
    await screenshot(phone, "compliance-form-pr")

    # the demo's stand-in accepted last month's original filing: its number is on the submissions page, labelled
    submissions = (await gateway.get("/api/v1/compliance/submissions", headers=headers)).json()["items"]
    accepted = [s for s in submissions if s["state"] == "accepted" and s["period"].startswith(period)]
    assert len(accepted) == 1 and accepted[0]["confirmation_number"].startswith("STANDIN-"), submissions
    assert accepted[0]["stand_in"] and not accepted[0]["rrc_confirmed"], accepted
    await page.goto("/#/compliance/submissions")
    await expect(page.locator(".confirmation")).to_have_text(accepted[0]["confirmation_number"])
    region = page.get_by_role("region", name="Submissions")
    await expect(region).to_contain_text("accepted")
    await expect(region).to_contain_text("RRC stand-in: nothing was sent to the RRC")
    await expect(page.get_by_role("region", name="RRC portal")).to_contain_text(
        "RRC stand-in: nothing was sent to the RRC"
    )
    await expect(region.get_by_role("button", name="PDF")).to_be_visible()

    # the calendar lists the due dates around today: last month's Form PR (answered only by the stand-in, so still
    # awaiting the RRC's confirmation) and its taxes (open)
    today = date.today()
    due = (
        await gateway.get(
            "/api/v1/filing-calendar",
            headers=headers,
            params={"due_from": str(today - timedelta(days=30)), "due_to": str(today + timedelta(days=90))},
        )
    ).json()["items"]
    mine = {item["obligation"]: item for item in due if item["period"].startswith(period)}
    assert set(mine) == {"form_pr", "oil_tax", "gas_tax"}, due
    assert mine["form_pr"]["state"] == "awaiting_confirmation", mine
    await page.goto("/#/compliance/calendar")
    table = page.get_by_role("region", name="Due dates")
    for item in mine.values():
        await expect(table).to_contain_text(item["due_date"])
    await expect(table).to_contain_text("Form PR (RRC monthly production report)")
    await expect(table).to_contain_text("Natural gas production tax")
    assert page.js_errors == [] and phone.js_errors == []
