"""The accountant's reconciliation and purchaser statements in a real browser on the demo company: the two items
the demo's purchaser statement raises (lease A's short load, lease B's price error) are listed and filtered by
cause; one is resolved after a first try without a reason is refused with the field named; a new statement with
a property number no lease is mapped to is imported through the saved column map, its per-line report shows the
held and the refused line, and mapping the property to a lease applies the held line."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from console_kit import screenshot, sign_in

from wellflow_devstack import demo_history as dh
from wellflow_devstack.demo import ACCOUNTANT, PASSWORD
from wellflow_devstack.demo_statements import HEADER

NEW_PROPERTY = "PCP-4499"
REASON = "Purchaser confirmed the short load; the corrected volume comes on next month's check"


async def test_the_accountant_resolves_an_item_and_maps_a_new_property(console, console_demo, gateway):
    signin = await gateway.post("/api/v1/auth/signin", json={"email": ACCOUNTANT[0], "password": PASSWORD})
    headers = {"authorization": f"Bearer {signin.json()['access_token']}"}
    ids = console_demo.lease_ids
    lease_name = {
        key: (await gateway.get(f"/api/v1/leases/{ids[key]}", headers=headers)).json()["name"] for key in ("A", "B")
    }
    items = (await gateway.get("/api/v1/reconciliation/items", params={"state": "open"}, headers=headers)).json()
    assert {(i["lease_id"], i["cause"]) for i in items["items"]} == {
        (ids["A"], "volume_differs"),
        (ids["B"], "price_out_of_range"),
    }, items

    page = await console.open()
    await sign_in(page, ACCOUNTANT[0], PASSWORD)
    await page.goto("/#/accounting/reconciliation")
    await page.get_by_role("heading", name="Reconciliation", exact=True).wait_for(timeout=30_000)
    listed = page.get_by_role("region", name="Reconciliation items")
    await listed.locator("tr", has_text="Volume differs").wait_for()
    await listed.locator("tr", has_text="Price out of range").wait_for()
    assert lease_name["A"] in await listed.locator("tr", has_text="Volume differs").inner_text()
    assert lease_name["B"] in await listed.locator("tr", has_text="Price out of range").inner_text()
    await screenshot(page, "reconciliation-open")

    # filter by cause: only the short load is left
    await page.get_by_label("Cause").select_option("volume_differs")
    await page.wait_for_function("() => location.hash.includes('cause=volume_differs')")
    await listed.locator("tr", has_text="Price out of range").wait_for(state="detached")
    row = listed.locator("tbody tr", has_text="Volume differs")
    assert await row.count() == 1

    # the first try has no reason: the browser refuses an empty one, a blank one is refused by the API by name
    reason = row.get_by_label("Why it is resolved")
    await row.get_by_role("button", name="Resolve").click()
    assert await reason.evaluate("el => !el.validity.valid")
    await reason.fill("   ")
    await row.get_by_role("button", name="Resolve").click()
    error = row.locator(".field-error").first
    await error.wait_for(state="visible")
    assert "required" in (await error.inner_text()).lower()  # the API's word, under "Why it is resolved"
    assert await reason.get_attribute("aria-invalid") == "true"
    still = (await gateway.get("/api/v1/reconciliation/items", params={"state": "open"}, headers=headers)).json()
    assert len(still["items"]) == 2, "a refused resolution changes nothing"
    await reason.fill(REASON)
    await row.get_by_role("button", name="Resolve").click()
    await page.get_by_text("No differences over tolerance.").wait_for()

    # found again among the resolved, with who and why
    await page.get_by_label("State").select_option("resolved")
    resolved = listed.locator("tbody tr", has_text="Volume differs")
    await resolved.wait_for()
    text = await resolved.inner_text()
    assert REASON in text, text
    await screenshot(page, "reconciliation-resolved")
    resolved_api = (
        await gateway.get("/api/v1/reconciliation/items", params={"state": "resolved"}, headers=headers)
    ).json()
    assert [(i["lease_id"], i["resolution"]) for i in resolved_api["items"]] == [(ids["A"], REASON)]

    # a new statement through the demo's saved column map: one line for a property no lease is mapped to, one bad
    last_month = dh.last_full_month(console_demo.history)
    month = dh.month_start(last_month - timedelta(days=1))
    price = dh.posted_price("oil", month, last_month)
    volume = Decimal("120.50")
    content = "\n".join(
        [
            HEADER,
            f"990{month:%m%y},{last_month:%m/%d/%Y},{NEW_PROPERTY},NEW WELLS LEASE,T-990001,{month:%m/%Y},crude,"
            f"{volume},41.2,{price},{(volume * price).quantize(Decimal('0.01'))}",
            f"990{month:%m%y},{last_month:%m/%d/%Y},{NEW_PROPERTY},NEW WELLS LEASE,T-990002,{month:%m/%Y},crude,"
            f"twelve,41.2,{price},100.00",
        ]
    )
    await page.get_by_role("link", name="Purchaser statements").click()
    await page.get_by_role("heading", name="Purchaser statements").wait_for(timeout=30_000)
    await page.get_by_text("Every property number is mapped to a lease.").wait_for()
    assert "Permian Crude check stub" in await page.get_by_label("Column map").inner_text()
    await page.get_by_label("Check-stub file (CSV)").set_input_files(
        {"name": "permian-crude-new.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    await page.get_by_role("button", name="Import").click()
    report = page.locator("section.acc-report")
    await report.get_by_role("heading", name="Import report").wait_for(timeout=30_000)
    summary = await report.inner_text()
    assert "2 lines: 0 imported, 1 held for a property to map, 1 refused" in summary, summary
    refused = report.get_by_role("region", name="Refused lines")
    bad = await refused.locator("tbody tr").all_inner_texts()
    assert len(bad) == 1 and bad[0].split()[0] == "3" and "Net BBL" in bad[0] and "twelve" in bad[0], bad

    queue = page.get_by_role("region", name="Property numbers to map")
    held = queue.locator("tbody tr", has_text=NEW_PROPERTY)
    await held.wait_for()
    assert "NEW WELLS LEASE" in await held.inner_text()
    await screenshot(page, "purchaser-statement-import")

    # no lease is preselected: "Map" without a choice is refused by the browser and maps nothing
    await held.get_by_role("button", name="Map").click()
    assert await held.get_by_label("Lease").evaluate("el => el.value === '' && !el.validity.valid")
    assert await queue.locator("tbody tr", has_text=NEW_PROPERTY).count() == 1
    await held.get_by_label("Lease").select_option(label=lease_name["A"])
    await held.get_by_role("button", name="Map").click()
    await page.get_by_text("Every property number is mapped to a lease.").wait_for(timeout=30_000)
    lines = (
        await gateway.get(
            "/api/v1/purchaser-statements/lines",
            params={"lease_id": ids["A"], "month": month.isoformat(), "limit": 200},
            headers=headers,
        )
    ).json()["items"]
    applied = [line for line in lines if line["property_number"] == NEW_PROPERTY]
    assert [(line["ticket_number"], Decimal(line["volume"])) for line in applied] == [("T-990001", volume)], lines
    assert page.js_errors == []

    phone = await console.open(phone=True)
    await sign_in(phone, ACCOUNTANT[0], PASSWORD)
    await phone.goto("/#/accounting/reconciliation?state=resolved")
    await (
        phone.get_by_role("region", name="Reconciliation items")
        .locator("tr", has_text="Volume differs")
        .wait_for(timeout=30_000)
    )
    await screenshot(phone, "reconciliation-resolved")
    await phone.goto("/#/accounting/purchaser-statements")
    await phone.get_by_text("Every property number is mapped to a lease.").wait_for(timeout=30_000)
    await screenshot(phone, "purchaser-statements")
    assert phone.js_errors == []
