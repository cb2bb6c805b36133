"""Fixing what was sent and catching typos where they happen, in a real browser: on the phone (375 px) a slipped
digit is asked about before saving, a blank field is refused with no signal (nothing kept), a done stop opens its
reading to correct it online and again offline (sent exactly once, the corrected value shown); in the office a
cell of the lease-month grid is corrected with a reason, and a day recorded meanwhile opens for correction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import httpx
from console_kit import screenshot, sign_in

from wellflow_devstack.demo import OWNER, PASSWORD, PUMPER

OUTBOX = "/assets/lib/outbox.js"


async def _token(gateway: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _reading(gateway: httpx.AsyncClient, auth: dict[str, str], well_id: str, day: str) -> dict | None:
    response = await gateway.get("/api/v1/readings", params={"well_id": well_id, "from": day, "to": day}, headers=auth)
    assert response.status_code == 200, response.text
    return next(iter(response.json()["items"]), None)


async def _history(gateway: httpx.AsyncClient, auth: dict[str, str], reading_id: str) -> list[dict]:
    response = await gateway.get(f"/api/v1/readings/{reading_id}/history", headers=auth)
    assert response.status_code == 200, response.text
    return response.json()["changes"]


async def _entries(page) -> list[dict]:
    return await page.evaluate(f"async () => (await import('{OUTBOX}')).list()")


# long: one pumper's morning, step by step (typo, blank field offline, a correction online and one offline)
async def test_pumper_is_asked_about_a_typo_refused_a_blank_and_corrects_a_done_reading(console, console_demo, gateway):
    owner = await _token(gateway, OWNER[0])
    pumper = await _token(gateway, PUMPER[0])
    page = await console.open(phone=True)
    await sign_in(page, PUMPER[0], PASSWORD)
    await page.wait_for_function("() => location.hash === '#/route'")
    today = await page.evaluate("() => { const d = new Date(); return d.toLocaleDateString('en-CA'); }")
    route = (await gateway.get("/api/v1/production/route", params={"date": today}, headers=pumper)).json()
    oil_wells = [w for w in route["wells"] if w["recent"] and Decimal(w["recent"]["oil_bbl"]) >= 2]
    assert len(oil_wells) >= 2, route["wells"]
    well, other = oil_wells[0], oil_wells[1]
    mean = Decimal(well["recent"]["oil_bbl"])
    gas, water = f"{Decimal(well['recent']['gas_mcf']):.0f}", f"{Decimal(well['recent']['water_bbl']):.0f}"
    await page.locator(f'li.route-item[data-well-id="{well["well_id"]}"]').wait_for()

    # a slipped digit: five times the well's recent average is asked about before anything is kept
    await page.locator(f'li.route-item[data-well-id="{well["well_id"]}"] a').click()
    last = page.locator('[data-field="oil_bbl"] .hint')
    assert (await last.inner_text()).startswith("Last: ")  # yesterday's oil under the field
    typo = f"{mean * 5:.1f}"
    await page.get_by_label("Oil (bbl)").fill(typo)
    await page.get_by_label("Gas (mcf)").fill(gas)
    await page.get_by_label("Water (bbl)").fill(water)
    await page.get_by_role("button", name="Save reading").click()
    question = page.locator('[data-field="oil_bbl"] .field-error')
    await question.wait_for()
    assert "times this well's recent average" in await question.inner_text()
    assert await page.get_by_label("Yes, these are right").is_visible()
    assert await _entries(page) == [] and await _reading(gateway, owner, well["well_id"], today) is None
    await screenshot(page, "pumper-reading-typo-question")
    first_value = f"{mean:.1f}"
    await page.get_by_label("Oil (bbl)").fill(first_value)
    await page.get_by_role("button", name="Save reading").click()
    await page.wait_for_function("() => location.hash === '#/route'")
    stored = await _reading(gateway, owner, well["well_id"], today)
    assert stored is not None and Decimal(stored["oil_bbl"]) == Decimal(first_value) and stored["version"] == 1

    # no signal: a blank gas is refused on the phone, named in the pumper's words; nothing is kept to send
    await page.wait_for_function("async () => (await navigator.serviceWorker.ready).active !== null")
    if not await page.evaluate("() => navigator.serviceWorker.controller !== null"):
        await page.reload()
        await page.locator("li.route-item[data-well-id]").first.wait_for()
    await page.context.set_offline(True)
    await page.locator(f'li.route-item[data-well-id="{other["well_id"]}"] a').click()
    await page.get_by_label("Oil (bbl)").fill("3")
    await page.get_by_label("Water (bbl)").fill("1")
    await page.get_by_role("button", name="Save reading").click()
    blank = page.locator('[data-field="gas_mcf"] .field-error')
    await blank.wait_for()
    assert await blank.inner_text() == "Gas is empty: write 0 if there was none."
    assert await page.get_by_label("Gas (mcf)").get_attribute("aria-invalid") == "true"
    assert await page.locator(".form-error").get_by_text("Gas is empty").is_visible()
    assert [e for e in await _entries(page) if e["well_id"] == other["well_id"]] == []
    await screenshot(page, "pumper-reading-blank-offline")
    await page.context.set_offline(False)

    # the done stop opens its reading, prefilled; the correction goes with its version and a reason
    await page.goto("/#/route")
    item = page.locator(f'li.route-item.done[data-well-id="{well["well_id"]}"]')
    await item.wait_for()
    await item.locator("a").click()
    await page.get_by_role("button", name="Save the correction").wait_for()
    assert Decimal(await page.get_by_label("Oil (bbl)").input_value()) == Decimal(first_value)
    corrected_online = f"{mean + Decimal('0.5'):.1f}"
    await page.get_by_label("Oil (bbl)").fill(corrected_online)
    await page.get_by_role("button", name="Save the correction").click()
    reason_error = page.locator('[data-field="reason"] .field-error')
    await reason_error.wait_for()  # a correction says why
    await page.get_by_label("Why it changes").fill("re-read the gauge")
    await screenshot(page, "pumper-reading-correction")
    await page.get_by_role("button", name="Save the correction").click()
    await page.wait_for_function("() => location.hash === '#/route'")
    now = await _reading(gateway, owner, well["well_id"], today)
    assert now["version"] == 2 and Decimal(now["oil_bbl"]) == Decimal(corrected_online)

    # and again with no signal: kept, sent once on reconnecting, the corrected value shown when reopened
    await page.locator(f'li.route-item.done[data-well-id="{well["well_id"]}"]').wait_for()
    await page.context.set_offline(True)
    await page.locator(f'li.route-item[data-well-id="{well["well_id"]}"] a').click()
    assert Decimal(await page.get_by_label("Oil (bbl)").input_value()) == Decimal(corrected_online)
    corrected_offline = f"{mean + Decimal('0.25'):.2f}"
    await page.get_by_label("Oil (bbl)").fill(corrected_offline)
    await page.get_by_label("Why it changes").fill("second look at the tank")
    await page.get_by_role("button", name="Save the correction").click()
    await page.wait_for_function("() => location.hash === '#/route'")
    await page.locator(f'li.route-item.waiting[data-well-id="{well["well_id"]}"]').wait_for()
    assert (await _reading(gateway, owner, well["well_id"], today))["version"] == 2
    await page.context.set_offline(False)
    await page.evaluate(
        f"async () => {{ const m = await import('{OUTBOX}'); await Promise.all([m.flush(), m.flush()]); }}"
    )
    await page.wait_for_function(f"async () => (await (await import('{OUTBOX}')).counts()).pending === 0")
    # a lost answer: the correction goes again; its reading already holds it, so it counts as sent, once
    await page.evaluate(
        f"async () => {{ const m = await import('{OUTBOX}');"
        " const c = (await m.list()).filter(e => e.kind === 'correction');"
        " await Promise.all(c.map(e => m.retry(e.id))); await m.flush(); }"
    )
    states = {e["kind"]: e["state"] for e in await _entries(page)}
    assert states == {"reading": "sent", "correction": "sent"}, states
    final = await _reading(gateway, owner, well["well_id"], today)
    assert final["version"] == 3 and Decimal(final["oil_bbl"]) == Decimal(corrected_offline)
    history = await _history(gateway, owner, final["reading_id"])
    assert [h["reason"] for h in history] == ["re-read the gauge", "second look at the tank"]
    await page.goto("/#/route")
    await page.locator(f'li.route-item.done[data-well-id="{well["well_id"]}"] a').click()
    await page.get_by_role("button", name="Save the correction").wait_for()
    assert Decimal(await page.get_by_label("Oil (bbl)").input_value()) == Decimal(corrected_offline)
    assert page.js_errors == []


async def test_office_corrects_a_cell_of_the_lease_month_grid(console, console_demo, gateway):
    owner = await _token(gateway, OWNER[0])
    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    yesterday = date.today() - timedelta(days=1)
    target = None
    for lease_id in console_demo.lease_ids.values():
        wells = (await gateway.get("/api/v1/wells", params={"lease_id": lease_id}, headers=owner)).json()["items"]
        for well in wells:
            target = await _reading(gateway, owner, well["id"], yesterday.isoformat())
            if target is not None and Decimal(target["hours_on"]) == 24:
                break
            target = None
        if target is not None:
            break
    assert target is not None, "a demo well read yesterday"
    well = next(w for w in wells if w["id"] == target["well_id"])
    await page.goto(f"/#/lease-month?lease={lease_id}&month={yesterday.isoformat()[:7]}")
    cell = page.locator(f'button.cell[data-cell="{well["id"]}|{yesterday.isoformat()}"]')
    await cell.wait_for()
    assert await page.locator("button.cell").count() >= len(wells)
    await screenshot(page, "office-lease-month-grid")
    await cell.click()
    editor = page.locator(".reading-editor")
    await editor.wait_for()
    oil = editor.get_by_label("Oil (bbl)")
    assert Decimal(await oil.input_value()) == Decimal(target["oil_bbl"])
    new_oil = Decimal(target["oil_bbl"]) + Decimal("0.5")
    await oil.fill(str(new_oil))
    await editor.get_by_label("Why it changes").fill("run ticket shows the gauge was misread")
    await editor.get_by_role("button", name="Save the correction").click()
    await editor.wait_for(state="detached")
    await page.locator(f'button.cell.corrected[data-cell="{well["id"]}|{yesterday.isoformat()}"]').wait_for()
    after = await _reading(gateway, owner, well["id"], yesterday.isoformat())
    assert after["version"] == target["version"] + 1 and Decimal(after["oil_bbl"]) == new_oil
    history = await _history(gateway, owner, after["reading_id"])
    assert history[-1]["reason"] == "run ticket shows the gauge was misread"

    # a missing day entered from the grid, while someone records it first: the office opens that one to correct
    today = date.today().isoformat()
    empty = page.locator(f'button.cell.missing[data-cell="{well["id"]}|{today}"]')
    if yesterday.month == date.today().month:
        await empty.click()
        await editor.wait_for()
        first = await gateway.post(
            "/api/v1/readings",
            json={
                "well_id": well["id"],
                "production_date": today,
                "oil_bbl": target["oil_bbl"],
                "gas_mcf": target["gas_mcf"],
                "water_bbl": target["water_bbl"],
                "hours_on": "24",
            },
            headers=owner,
        )
        assert first.status_code == 201, first.text
        await editor.get_by_label("Oil (bbl)").fill(target["oil_bbl"])
        await editor.get_by_label("Gas (mcf)").fill(target["gas_mcf"])
        await editor.get_by_label("Water (bbl)").fill(target["water_bbl"])
        await editor.get_by_role("button", name="Save the reading").click()
        banner = editor.locator(".form-error")
        await banner.get_by_text(f"already has a reading for {today}").wait_for()
        await banner.get_by_role("button", name="Open that reading to correct it").click()
        await editor.get_by_role("button", name="Save the correction").wait_for()
        await editor.get_by_label("Water (bbl)").fill(str(Decimal(target["water_bbl"]) + 1))
        await editor.get_by_label("Why it changes").fill("water hauled off counted")
        await editor.get_by_role("button", name="Save the correction").click()
        await editor.wait_for(state="detached")
        assert (await _reading(gateway, owner, well["id"], today))["version"] == 2
    assert page.js_errors == []
