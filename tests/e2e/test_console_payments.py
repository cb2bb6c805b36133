"""The console's payment runs in Chromium against a whole stack with the demo tenant, as the owner and the
accountant use them: last month's paid run (owners by ACH and by check, the small owner held under the minimum),
the late month paid with interest, the ACH file (NACHA: 94-character records, a file header first) and the checks
PDF downloaded; a mistake in the form (no pay date, a revenue run already paid) answered clearly; a new run built,
approved by two people, its files written and marked sent; the pages at phone and desktop width."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from console_kit import screenshot, sign_in
from playwright.async_api import expect

from wellflow_devstack.demo import ACCOUNTANT, OWNER, PASSWORD

SLOW = 60_000  # a loaded machine: builds, approvals and files are a few transactions each


@pytest.fixture
async def console_demo(gateway: httpx.AsyncClient):
    """The demo tenant with a longer history than the other console tests: 160 days cover the month three before
    the last full one, which the demo pays late (with interest) besides last month."""
    from wellflow_devstack.demo import load_demo

    return await load_demo(gateway, wells=5, days=160)


async def _headers(gateway: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _assert_nacha(path: Path) -> None:
    lines = path.read_text().splitlines()
    assert lines and all(len(line) == 94 for line in lines), lines
    assert lines[0][0] == "1" and lines[1][0] == "5" and any(line[0] == "6" for line in lines), lines[:3]


async def test_paying_owners_through_the_payments_pages(gateway, console, console_demo, tmp_path) -> None:
    owner = await _headers(gateway, OWNER[0])
    runs = (await gateway.get("/api/v1/payments/runs", headers=owner)).json()["items"]
    assert runs and all(r["status"] == "sent" for r in runs), runs  # the demo pays and sends what it pays
    held = next(r for r in runs if r["totals"]["held"])  # last month: a small royalty owner under the minimum
    assert held["totals"]["ach_payments"] and held["totals"]["check_payments"], held
    late = [r for r in runs if r["totals"]["interest"] not in ("0", "0.00")]
    assert len(runs) == 2 and len(late) == 1, runs  # last month on time, the month never paid now paid late

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    await page.goto("/#/accounting/payments")
    listed = page.get_by_role("region", name="Payment runs")
    await listed.locator("tbody tr").nth(len(runs) - 1).wait_for(timeout=SLOW)
    assert await listed.locator("tbody tr").count() == len(runs)
    for run in runs:  # both paid today: each row names the month it pays
        row = listed.locator("tbody tr").filter(has=page.locator(f'a[href="#/accounting/payments/{run["id"]}"]'))
        assert (await row.inner_text()).count(" revenue") == 1
    assert len({await row.inner_text() for row in await listed.locator("tbody tr").all()}) == len(runs)

    # last month's run: who is paid how, the held owner, the files of a sent run
    await listed.locator("tbody tr").filter(has_text="Sent").first.wait_for()
    await page.goto(f"/#/accounting/payments/{held['id']}")
    payments = page.get_by_role("region", name="Payments")
    await payments.locator("tbody tr").first.wait_for(timeout=SLOW)
    text = await payments.inner_text()
    assert "ACH ****" in text and "Check " in text, text
    await page.get_by_label("Status").select_option("held")
    await expect(payments.locator("tbody tr")).to_have_count(held["totals"]["held"], timeout=SLOW)  # redrawn
    assert "held: below the minimum payment" in await payments.inner_text()
    async with page.expect_download(timeout=SLOW) as ach:
        await page.get_by_role("button", name="Download ACH file").click()
    ach_path = tmp_path / "ach.txt"
    await (await ach.value).save_as(ach_path)
    _assert_nacha(ach_path)
    async with page.expect_download(timeout=SLOW) as checks:
        await page.get_by_role("button", name="Print checks (PDF)").click()
    pdf = tmp_path / "checks.pdf"
    await (await checks.value).save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    await screenshot(page, "accounting-payment-run")

    for run in late:  # the month never paid, paid now with Texas late-payment interest
        await page.goto(f"/#/accounting/payments/{run['id']}")
        await page.get_by_role("region", name="Payments").locator("tbody tr").first.wait_for(timeout=SLOW)
        stats = await page.locator("main").inner_text()
        assert "Late interest" in stats and f"${run['totals']['interest']}" in stats.replace(",", ""), stats
        assert "Nobody is paid" not in stats
        await screenshot(page, "accounting-payment-run-late")

    # two approvers from now on (the page has no settings form; the API sets it)
    settings = await gateway.put("/api/v1/payments/settings", json={"require_two_approvers": True}, headers=owner)
    assert settings.status_code == 200, settings.text

    # mistakes in the form: no pay date, then the revenue run the demo already paid
    await page.goto("/#/accounting/payments")
    form = page.locator("form.acc-run")
    await form.wait_for(timeout=SLOW)
    await page.get_by_label("Pay date").fill("")
    await page.get_by_role("button", name="Build payment run").click()
    await form.locator(".field-error:not([hidden])").first.wait_for(timeout=SLOW)
    assert "pay_date" in await form.locator("[aria-invalid=true]").first.get_attribute("name")
    await page.get_by_label("Pay date").fill(held["pay_date"])
    await page.get_by_role("button", name="Build payment run").click()
    await form.get_by_role("alert").get_by_text("already pays this revenue run").wait_for(timeout=SLOW)
    assert len((await gateway.get("/api/v1/payments/runs", headers=owner)).json()["items"]) == len(runs)

    # fixed: the JIB credits only
    await page.get_by_label("Revenue run").select_option("")
    await page.get_by_role("button", name="Build payment run").click()
    await page.get_by_text("Payment run built as a draft").wait_for(timeout=SLOW)
    await page.get_by_role("button", name="Approve…").wait_for(timeout=SLOW)
    run_id = page.url.rsplit("/", 1)[-1].split("?")[0]
    await page.get_by_text("Nobody is paid in this run").wait_for()  # the demo owes no JIB credit
    await page.get_by_role("button", name="Approve…").click()
    await page.get_by_role("button", name="Approve the payments").click()
    await page.get_by_text("Approved once: a second person must approve.").wait_for(timeout=SLOW)
    await page.get_by_text("Approved once: waiting for a second person.").wait_for(timeout=SLOW)
    await screenshot(page, "accounting-payment-run-draft")

    second = await console.open(phone=True)
    await sign_in(second, ACCOUNTANT[0], PASSWORD)
    await second.goto(f"/#/accounting/payments/{run_id}")
    await second.get_by_text("Approved once: waiting for a second person.").wait_for(timeout=SLOW)
    await second.get_by_role("button", name="Approve…").click()
    await second.get_by_role("button", name="Approve the payments").click()
    await second.get_by_role("button", name="Write files…").wait_for(timeout=SLOW)
    await second.get_by_role("button", name="Write files…").click()
    await second.get_by_role("button", name="Write the files").click()
    await second.get_by_text("ACH file and checks written.").wait_for(timeout=SLOW)
    await second.get_by_role("button", name="Mark sent…").click()
    await second.get_by_role("button", name="Mark sent", exact=True).click()
    await second.get_by_text("Run sent.").wait_for(timeout=SLOW)
    await screenshot(second, "accounting-payment-run-sent")
    done = (await gateway.get(f"/api/v1/payments/runs/{run_id}", headers=owner)).json()
    assert done["status"] == "sent" and done["first_approved_by"] != done["approved_by"], done

    await second.goto("/#/accounting/payments")
    newest = second.get_by_role("region", name="Payment runs").locator("tbody tr").nth(len(runs))
    await newest.wait_for(timeout=SLOW)
    assert "JIB credits" in await second.get_by_role("region", name="Payment runs").inner_text()
    await screenshot(second, "accounting-payments")
    await page.goto("/#/accounting/payments")
    await page.get_by_role("region", name="Payment runs").locator("tbody tr").nth(len(runs)).wait_for(timeout=SLOW)
    await screenshot(page, "accounting-payments")
    assert page.js_errors == [] and second.js_errors == []  # type: ignore[attr-defined]
