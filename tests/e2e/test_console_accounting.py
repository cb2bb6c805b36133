"""The console's accounting and owner pages in Chromium against a whole stack with the demo tenant.

1. The owner runs a month's revenue distribution, sees the owner settlements, finalizes the month (it locks),
   downloads an owner statement as PDF, opens the AFE and sees its estimate against actual, and invites a
   member from the team page (listed there and through the API).
2. A pumper has no accounting pages: none in the navigation, "Not allowed" at the URL, and no accounting
   request answered 2xx.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from pathlib import Path

import httpx
from console_kit import screenshot, sign_in

from wellflow_devstack import demo_history as dh
from wellflow_devstack.demo import OWNER, PASSWORD, PUMPER

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


async def _headers(gateway: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _money(value: str) -> str:
    whole, _, frac = value.lstrip("-").partition(".")
    return f"{'-' if value.startswith('-') else ''}${int(whole):,}.{(frac + '00')[:2]}"


async def _visit(page, url: str) -> None:
    """Open a console page the way a member follows a link or a bookmark."""
    await page.goto(url)


async def _wait_for_sales(gateway: httpx.AsyncClient, headers: dict[str, str], month: date) -> None:
    """Accounting learns each lease-month's volumes and compliance's severance tax by event: wait until a run of
    the month values sales, each with compliance's tax (a pending tax keeps a run from being finalized)."""
    for _ in range(60):
        response = await gateway.post("/api/v1/revenue/runs", json={"month": month.isoformat()}, headers=headers)
        assert response.status_code == 201, response.text
        sales = response.json()["sales"]
        if len(sales) >= 3 and all(s["tax_source"] == "compliance" for s in sales):
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"accounting never valued {month}'s sales")


async def test_owner_runs_finalizes_and_downloads_a_distribution_and_invites_a_member(
    gateway, console, console_demo
) -> None:
    owner = await _headers(gateway, OWNER[0])
    # The demo finalizes its last full month; the month before it has prices, decks and volumes but no run.
    month = dh.month_start(dh.last_full_month(console_demo.history) - timedelta(days=1))
    label = f"{MONTHS[month.month - 1]} {month.year}"
    runs = (await gateway.get("/api/v1/revenue/runs", headers=owner)).json()["items"]
    assert month.isoformat() not in {run["month"] for run in runs}
    await _wait_for_sales(gateway, owner, month)

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)

    # Run the month from the revenue page: the run's page opens as a draft with its owner settlements.
    await _visit(page, "/#/accounting/revenue")
    await page.get_by_label("Sales month").fill(f"{month:%Y-%m}")
    await page.get_by_role("button", name="Run month").click()
    await page.wait_for_function("() => /^#\\/accounting\\/revenue\\/[0-9a-f-]{36}$/.test(location.hash)")
    run_id = page.url.rsplit("/", 1)[-1]
    heading = page.locator("h1")
    await heading.filter(has_text=f"Revenue · {label}").wait_for()
    assert "draft" in await heading.inner_text()
    owners = (await gateway.get(f"/api/v1/revenue/runs/{run_id}/statements", headers=owner)).json()
    assert owners["total"] >= 3
    settlements = page.get_by_role("region", name="Owner settlements")
    assert await settlements.locator("tbody tr").count() == min(owners["total"], 50)
    first = owners["items"][0]
    first_row = settlements.locator("tbody tr").filter(has_text=first["name"])
    assert _money(first["paid"]) in await first_row.inner_text()

    # Finalize, confirming in the page: the month is locked and the finalize step is gone.
    await page.get_by_role("button", name="Finalize…").click()
    await page.get_by_role("button", name=f"Finalize {label}").click()
    await page.locator("h1 .badge", has_text="finalized").wait_for()
    await page.get_by_text("The month is locked").wait_for()
    assert await page.get_by_role("button", name="Finalize…").count() == 0
    run = (await gateway.get(f"/api/v1/revenue/runs/{run_id}", headers=owner)).json()
    assert run["status"] == "finalized"
    again = await gateway.post("/api/v1/revenue/runs", json={"month": month.isoformat()}, headers=owner)
    assert again.status_code == 409

    # An owner's statement downloads as a PDF.
    async with page.expect_download() as info:
        await page.get_by_role("button", name=f"PDF statement for {first['name']}").click()
    download = await info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(await download.path()).read_bytes().startswith(b"%PDF")
    await screenshot(page, "accounting-revenue-run")

    # The AFE in progress: its estimate against actual, by category, with the API's totals.
    afe = (await gateway.get("/api/v1/afes", headers=owner)).json()["items"][0]
    report = (await gateway.get(f"/api/v1/afes/{afe['id']}/estimate-vs-actual", headers=owner)).json()
    await _visit(page, "/#/accounting/afes")
    # the list shows each AFE's estimate and actual (the API's, in dollars and cents)
    listed = await page.get_by_role("row", name=re.compile(re.escape(afe["afe_number"]))).inner_text()
    assert _money(afe["estimate"]) in listed and _money(afe["actual"]) in listed, listed
    await page.get_by_role("link", name=afe["afe_number"]).click()
    comparison = page.get_by_role("region", name="Estimate vs actual by category")
    await comparison.wait_for()
    assert await comparison.locator("tbody tr").count() == len(report["lines"]) + 1
    total = await comparison.locator("tbody tr").last.inner_text()
    assert _money(report["estimate"]) in total and _money(report["actual"]) in total
    # Only the lifecycle steps the AFE may take next are offered (in progress -> completed).
    assert afe["status"] == "in_progress"
    assert await page.get_by_role("button", name="Complete").count() == 1
    assert await page.get_by_role("button", name="Approve").count() == 0
    # "Complete" asks first, saying what follows; Cancel leaves the AFE as it was
    await page.get_by_role("button", name="Complete").click()
    question = page.get_by_role("group", name="Complete")
    assert "the only step after is Close" in await question.inner_text()
    await question.get_by_role("button", name="Cancel").click()
    status = (await gateway.get(f"/api/v1/afes/{afe['id']}", headers=owner)).json()["status"]
    assert status == "in_progress"

    # Invite a member from the team page: the one-time token is shown and the invitation is listed.
    await _visit(page, "/#/team")
    invite = page.locator("form", has=page.get_by_role("button", name="Send invitation"))
    await invite.get_by_label("Email").fill("sam.field@caprock-demo.com")
    await invite.get_by_label("Role").select_option("manager")
    await invite.get_by_role("button", name="Send invitation").click()
    await page.get_by_text("You will not see this again").wait_for()
    invitations = page.get_by_role("region", name="Invitations")
    await invitations.locator("tr", has_text="sam.field@caprock-demo.com").wait_for()
    assert "pending" in await invitations.locator("tr", has_text="sam.field@caprock-demo.com").inner_text()
    listed = (await gateway.get("/api/v1/invitations", headers=owner)).json()
    assert [(i["email"], i["role"], i["accepted_at"]) for i in listed if i["email"].startswith("sam.")] == [
        ("sam.field@caprock-demo.com", "manager", None)
    ]
    await screenshot(page, "owner-team")
    assert page.js_errors == []  # type: ignore[attr-defined]

    phone = await console.open(phone=True)
    await sign_in(phone, OWNER[0], PASSWORD)
    await _visit(phone, f"/#/accounting/revenue/{run_id}")
    await phone.locator("h1 .badge", has_text="finalized").wait_for()
    await screenshot(phone, "accounting-revenue-run")
    await _visit(phone, "/#/team")
    await phone.get_by_role("region", name="Invitations").wait_for()
    await screenshot(phone, "owner-team")
    assert phone.js_errors == []  # type: ignore[attr-defined]


ACCOUNTING_API = re.compile(r"/api/v1/(revenue|jib|afes|suspense|partners|prices|ownership-decks|gl)(/|\?|$)")


async def test_a_pumper_has_no_accounting_pages(gateway, console, console_demo) -> None:
    page = await console.open()
    answered: list[tuple[str, int]] = []
    page.on("response", lambda r: answered.append((r.url, r.status)) if ACCOUNTING_API.search(r.url) else None)
    await sign_in(page, PUMPER[0], PASSWORD)
    menu = [text.strip() for text in await page.locator("#nav a").all_text_contents()]
    assert "Route" in menu
    assert not {"Revenue", "JIB", "AFEs", "Members", "API keys"} & set(menu)

    await _visit(page, "/#/accounting/revenue")
    await page.get_by_role("heading", name="Not allowed").wait_for()
    await _visit(page, "/#/accounting/afes")
    await page.get_by_role("heading", name="Not allowed").wait_for()
    assert [(url, status) for url, status in answered if 200 <= status < 300] == []
    # The API itself refuses the pumper too (the page is not the only guard).
    pumper = await _headers(gateway, PUMPER[0])
    assert (await gateway.get("/api/v1/revenue/runs", headers=pumper)).status_code == 403
