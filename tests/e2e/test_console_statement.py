"""The operator on its statements, in Chromium against a whole stack with the demo tenant.

The owner opens the Organization page (the demo filled in Caprock Energy LLC's profile: legal name, mailing
address, telephone, logo), changes the owner-relations telephone, and opens an owner's statement from the
finalized revenue run: the statement shows the operator's logo, name, mailing address and the new telephone
(Texas check stubs must show an address and a phone, Nat. Res. Code 91.502), names the owner by number, and
downloads under a name people can read.
"""

from __future__ import annotations

import asyncio
import re

import httpx
from console_kit import screenshot, sign_in

from wellflow_devstack.demo import OWNER, PASSWORD
from wellflow_devstack.demo_profile import ADDRESS

NEW_PHONE = "432-555-0199"
ADDRESS_LINE = f"{ADDRESS['line1']}, {ADDRESS['line2']}, {ADDRESS['city']}, {ADDRESS['state']} {ADDRESS['postal_code']}"


async def _headers(gateway: httpx.AsyncClient) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": OWNER[0], "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _statement_phone(gateway, headers, path: str, phone: str) -> dict:
    """Accounting learns the profile by event: wait until the statement carries ``phone``."""
    for _ in range(60):
        statement = (await gateway.get(path, headers=headers)).json()
        if statement["operator"]["phone"] == phone:
            return statement
        await asyncio.sleep(0.5)
    raise AssertionError(f"the statement never showed {phone}")


async def test_a_statement_shows_the_organizations_address_and_phone(gateway, console, console_demo) -> None:
    owner = await _headers(gateway)
    [run] = (await gateway.get("/api/v1/revenue/runs?status=finalized", headers=owner)).json()["items"]
    first = (await gateway.get(f"/api/v1/revenue/runs/{run['id']}/statements", headers=owner)).json()["items"][0]

    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    await page.locator("#nav a", has_text="Organization").click()
    form = page.get_by_role("form", name="Organization profile")
    await form.wait_for()
    assert await form.get_by_label("Legal name").input_value() == "Caprock Energy LLC"
    assert await form.get_by_label("City").input_value() == ADDRESS["city"]
    assert await page.get_by_role("img", name="Logo preview").is_visible()
    await page.get_by_text("Statements print every contact item").wait_for()
    await form.get_by_label("Telephone").fill("(432) 555 0199")
    await form.get_by_role("button", name="Save").click()
    await page.get_by_text("Organization saved").wait_for()
    assert await form.get_by_label("Telephone").input_value() == NEW_PHONE  # as identity keeps it
    await screenshot(page, "owner-organization")

    path = f"/api/v1/revenue/runs/{run['id']}/statements/{first['partner_id']}"
    statement = await _statement_phone(gateway, owner, path, NEW_PHONE)
    await page.goto(f"/#/accounting/revenue/{run['id']}")
    await page.get_by_role("link", name=f"View the statement for {first['name']}").click()
    letterhead = page.get_by_role("region", name="Operator")
    await letterhead.wait_for()
    text = await letterhead.inner_text()
    assert "Caprock Energy LLC" in text and ADDRESS_LINE in text and NEW_PHONE in text, text
    assert await letterhead.get_by_role("img").is_visible()
    assert "not set" not in text
    owner_number = statement["owner"]["owner_number"]
    assert re.fullmatch(r"\d{4}", owner_number)
    await page.get_by_text(f"owner {owner_number}").wait_for()

    async with page.expect_download() as info:
        await page.get_by_role("button", name=f"PDF statement for {first['name']}").click()
    month = statement["sales_month"]
    expected = f"caprock-energy-owner-{owner_number}-statement-{month[3:]}-{month[:2]}.pdf"
    assert (await info.value).suggested_filename == expected
    await screenshot(page, "owner-statement")
    assert page.js_errors == []  # type: ignore[attr-defined]

    phone = await console.open(phone=True)
    await sign_in(phone, OWNER[0], PASSWORD)
    await phone.goto(f"/#/accounting/revenue/{run['id']}/statements/{first['partner_id']}")
    await phone.get_by_role("region", name="Operator").get_by_text(NEW_PHONE).wait_for()
    await screenshot(phone, "owner-statement")
    assert phone.js_errors == []  # type: ignore[attr-defined]
