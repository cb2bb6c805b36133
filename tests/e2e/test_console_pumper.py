"""The pumper's round on a phone in a real browser: today's route, a reading recorded online, three recorded with
no signal (kept on the phone through a reload, each sent exactly once when the signal returns, even when the
outbox sends twice), and a correction the office overtook shown as a conflict the pumper resolves."""

from __future__ import annotations

from decimal import Decimal

import httpx
from console_kit import screenshot, sign_in

from wellflow_devstack.demo import OWNER, PASSWORD, PUMPER
from wellflow_servicekit.testing import until

OUTBOX = "/assets/lib/outbox.js"
# the route kept on the phone made yesterday's, every stop done (the phone the next morning)
YESTERDAY_ALL_DONE = """() => {
  const kept = JSON.parse(localStorage.getItem("wellflow.route"));
  const day = new Date(kept.route.date + "T12:00:00");
  day.setDate(day.getDate() - 1);
  kept.route.date = day.toISOString().slice(0, 10);
  kept.route.wells.forEach((w) => { w.done = true; });
  kept.route.tanks.forEach((t) => { t.gauged = true; });
  localStorage.setItem("wellflow.route", JSON.stringify(kept));
}"""
# every entry on the phone, whoever recorded it (the outbox's own list shows only the signed-in member's)
ALL_ENTRIES = """async () => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("wellflow-outbox"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  const rows = await new Promise((ok, no) => { const r = db.transaction("entries").objectStore("entries").getAll();
    r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
  return rows.sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
}"""


async def _token(gateway: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _readings(gateway: httpx.AsyncClient, auth: dict[str, str], well_id: str, day: str) -> list[dict]:
    response = await gateway.get("/api/v1/readings", params={"well_id": well_id, "from": day, "to": day}, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _plausible(route: dict, well_id: str, bump: int = 0) -> tuple[str, str, str]:
    """Volumes near the well's recent days (the route serves their mean), so no plausibility question is asked."""
    recent = next(w for w in route["wells"] if w["well_id"] == well_id)["recent"] or {}
    oil, gas, water = (Decimal(recent.get(k) or 0) for k in ("oil_bbl", "gas_mcf", "water_bbl"))
    return f"{oil + bump:.1f}", f"{gas + bump:.0f}", f"{water:.0f}"


async def _record(page, well_id: str, oil: str, gas: str, water: str, reason: str | None = None) -> None:
    """Open the well from the route and save a reading (hours on stays 24); a well done that day opens its
    reading to correct, saved with ``reason``."""
    await page.locator(f'li.route-item[data-well-id="{well_id}"] a').click()
    await page.get_by_label("Oil (bbl)").fill(oil)
    await page.get_by_label("Gas (mcf)").fill(gas)
    await page.get_by_label("Water (bbl)").fill(water)
    if reason is not None:
        await page.get_by_label("Why it changes").fill(reason)
    await page.get_by_role("button", name="Save the correction" if reason is not None else "Save reading").click()
    await page.wait_for_function("() => location.hash === '#/route'")


async def _month_oil(gateway: httpx.AsyncClient, auth: dict[str, str], well_id: str, day: str) -> Decimal:
    """The well's oil so far in the month of ``day``, from production's monthly series."""
    response = await gateway.get(f"/api/v1/production/wells/{well_id}/monthly", headers=auth)
    assert response.status_code == 200, response.text
    month = day[:8] + "01"
    return next((Decimal(p["oil_bbl"]) for p in response.json()["points"] if p["month"][:10] == month), Decimal(0))


async def _figure(card, cls: str) -> Decimal:
    """A figure the saved card shows ("1,140.00") as a Decimal."""
    return Decimal((await card.locator(f"{cls} .value").inner_text()).replace(",", ""))


def _item(page, well_id: str):
    return page.locator(f'li.route-item[data-well-id="{well_id}"]')


async def test_pumper_round_online_offline_and_a_conflict(console, console_demo, gateway):
    owner = await _token(gateway, OWNER[0])
    page = await console.open(phone=True)
    await sign_in(page, PUMPER[0], PASSWORD)
    await page.wait_for_function("() => location.hash === '#/route'")  # a pumper starts on the route
    today = await page.evaluate(
        "() => { const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'),"
        " String(d.getDate()).padStart(2, '0')].join('-'); }"
    )

    # the route: every demo well, none done today (the history ends yesterday)
    await page.locator("li.route-item[data-well-id]").first.wait_for()
    shown = await page.locator("li.route-item[data-well-id]").evaluate_all("els => els.map(e => e.dataset.wellId)")
    pumper = await _token(gateway, PUMPER[0])
    route = (await gateway.get("/api/v1/production/route", params={"date": today}, headers=pumper)).json()
    assert sorted(shown) == sorted(w["well_id"] for w in route["wells"])
    assert set(shown) <= set(console_demo.well_ids.values()) and len(shown) >= 4, shown
    assert await page.locator("li.route-item.done[data-well-id]").count() == 0
    total = await page.locator("li.route-item").count()
    assert await page.locator(".progress strong").inner_text() == f"0 of {total} done"
    await screenshot(page, "pumper-route")

    # one reading online, above the organization's plausible oil: confirmed on the form, then stored
    first, *others = shown
    month_before = await _month_oil(gateway, owner, first, today)
    await _item(page, first).locator("a").click()
    await page.get_by_label("Oil (bbl)").fill("5000")
    await page.get_by_label("Gas (mcf)").fill("30.25")
    await page.get_by_label("Water (bbl)").fill("4")
    await page.get_by_role("button", name="Save reading").click()
    confirm = page.get_by_label("Yes, these are right")
    await confirm.wait_for()
    assert await page.get_by_label("Oil (bbl)").get_attribute("aria-invalid") == "true"
    assert await page.evaluate("location.hash") == f"#/record/{first}"
    assert await _readings(gateway, owner, first, today) == []
    await screenshot(page, "pumper-reading-form")
    await confirm.check()
    await page.get_by_role("button", name="Save reading").click()
    await page.wait_for_function("() => location.hash === '#/route'")
    await page.locator(f'li.route-item.done[data-well-id="{first}"]').wait_for()
    assert await page.locator(".progress strong").inner_text() == f"1 of {total} done"
    [stored] = await _readings(gateway, owner, first, today)
    assert (Decimal(stored["oil_bbl"]), Decimal(stored["gas_mcf"]), Decimal(stored["water_bbl"])) == (
        Decimal("5000"),
        Decimal("30.25"),
        Decimal("4"),
    )
    assert Decimal(stored["hours_on"]) == 24 and stored["source"] == "api"

    # no signal: three readings wait on the phone, through a reload
    await page.wait_for_function("async () => (await navigator.serviceWorker.ready).active !== null")
    if not await page.evaluate("() => navigator.serviceWorker.controller !== null"):
        await page.reload()
        await page.locator("li.route-item[data-well-id]").first.wait_for()
    offline_wells = others[:3]
    await page.context.set_offline(True)
    volumes = {well: _plausible(route, well, i) for i, well in enumerate(offline_wells)}
    for well in offline_wells:
        await _record(page, well, *volumes[well])
        await page.get_by_text("Saved on this phone — waiting to send").first.wait_for()
        assert "Waiting to send" in await _item(page, well).inner_text()
    await page.reload()
    await page.get_by_text("No connection: this is the route kept on this phone").wait_for()
    for well in offline_wells:
        await page.locator(f'li.route-item.waiting[data-well-id="{well}"]').wait_for()
        assert "Waiting to send" in await _item(page, well).inner_text()
    await page.goto("/#/outbox")
    await page.get_by_role("heading", name="Waiting to send (3)").wait_for()
    assert await page.locator('li.outbox-item[data-state="waiting"]').count() == 3
    await screenshot(page, "pumper-outbox-waiting")
    for well in offline_wells:
        assert await _readings(gateway, owner, well, today) == []

    # the signal returns: each arrives once, even when this tab and another flush at the same moment
    other = await page.context.new_page()
    other_errors: list[str] = []
    other.on("pageerror", lambda error: other_errors.append(str(error)))
    await other.goto("/#/outbox")
    await other.get_by_role("heading", name="Waiting to send (3)").wait_for()
    await page.context.set_offline(False)
    flush_both = f"async () => {{ const m = await import('{OUTBOX}'); await Promise.all([m.flush(), m.flush()]); }}"
    await page.evaluate(flush_both)
    await other.evaluate(flush_both)
    await page.wait_for_function(f"async () => (await (await import('{OUTBOX}')).counts()).pending === 0")
    await page.get_by_role("heading", name="Waiting to send (0)").wait_for()
    for well in offline_wells:
        [reading] = await _readings(gateway, owner, well, today)
        assert Decimal(reading["oil_bbl"]) == Decimal(volumes[well][0])
    # a lost answer: the same entries go again with their keys, the API answers the first result
    await page.evaluate(
        f"async () => {{ const m = await import('{OUTBOX}');"
        " const sent = (await m.list()).filter(e => e.state === 'sent');"
        " await Promise.all(sent.map(e => m.retry(e.id))); await Promise.all([m.flush(), m.flush()]); }"
    )
    states = await page.evaluate(f"async () => (await (await import('{OUTBOX}')).list()).map(e => e.state)")
    assert states == ["sent"] * 4, states
    for well in offline_wells:
        assert len(await _readings(gateway, owner, well, today)) == 1
    await page.goto("/#/route")
    for well in [first, *offline_wells]:
        await page.locator(f'li.route-item.done[data-well-id="{well}"]').wait_for()

    # a conflict: with no signal the pumper corrects the first well's reading (the 5,000 bbl) from version 1, while
    # the office corrects it too; the phone's correction comes back stale and the pumper applies it to the current
    fix = _plausible(route, first)
    await page.context.set_offline(True)
    await _record(page, first, *fix, reason="typed 5000 for the real figure")
    office_fix = await gateway.patch(
        f"/api/v1/readings/{stored['reading_id']}",
        json={"comments": "checked by the office", "version": 1, "reason": "office review", "confirm": True},
        headers=owner,
    )
    assert office_fix.status_code == 200, office_fix.text
    await page.context.set_offline(False)
    await page.goto("/#/outbox")
    conflict = page.locator('li.outbox-item[data-state="conflict"]')
    await conflict.wait_for()
    assert "changed since version 1" in await conflict.inner_text()
    await page.goto("/#/route")
    await _item(page, first).get_by_text("To resolve").wait_for()
    await page.goto("/#/outbox")
    await conflict.get_by_role("button", name="Apply my correction to the current reading").click()
    await page.get_by_role("heading", name="To resolve (0)").wait_for()
    [resolved] = await _readings(gateway, owner, first, today)
    assert resolved["reading_id"] == stored["reading_id"] and resolved["version"] == 3
    assert (Decimal(resolved["oil_bbl"]), Decimal(resolved["gas_mcf"]), Decimal(resolved["water_bbl"])) == tuple(
        Decimal(v) for v in fix
    )
    assert resolved["comments"] == "checked by the office"
    assert page.js_errors == [] and other_errors == []

    # the office sees it: the owner's dashboard for that well counts the pumper's reading in this month's oil
    office = await console.open()
    await sign_in(office, OWNER[0], PASSWORD)
    lease_id = next(w["lease_id"] for w in route["wells"] if w["well_id"] == first)
    await office.goto(f"/#/dashboard?lease={lease_id}&well={first}")
    month_now = await _month_oil(gateway, owner, first, today)
    assert month_now == month_before + Decimal(fix[0])
    tile = office.locator(".month-so-far .stat[data-product=oil]")
    await tile.wait_for()
    assert Decimal(await tile.locator(".value").get_attribute("data-total")) == month_now
    assert office.js_errors == []

    # a shared phone: what the pumper left unsent is theirs alone; it waits while the owner signs in on the same
    # phone (never sent with the owner's session) and goes when the pumper is back
    await other.close()
    await page.goto("/#/route")
    await _item(page, others[0]).wait_for()
    await page.context.set_offline(True)
    await _record(page, others[0], *_plausible(route, others[0], 1), reason="re-read the gauge")
    page.once("dialog", lambda dialog: dialog.accept())  # "1 of your entries are not sent yet ... Sign out now?"
    await page.get_by_role("button", name="Menu").click()
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_function("() => location.hash === '#/signin'")
    await page.context.set_offline(False)
    await sign_in(page, OWNER[0], PASSWORD)
    assert await page.evaluate(f"async () => (await import('{OUTBOX}')).list()") == []
    await page.evaluate(f"async () => (await import('{OUTBOX}')).flush()")
    assert [e["state"] for e in await page.evaluate(ALL_ENTRIES) if e["well_id"] == others[0]] == ["sent", "waiting"]
    assert len(await _readings(gateway, owner, others[0], today)) == 1
    await page.get_by_role("button", name="Sign out").click()
    # signed out first: the sign-out's own move to the sign-in page would draw the form again over what is typed
    await page.wait_for_function("() => location.hash === '#/signin'")
    await sign_in(page, PUMPER[0], PASSWORD)

    async def corrected_once() -> bool:  # what the office sees first; the phone's bookkeeping follows
        return [r["version"] for r in await _readings(gateway, owner, others[0], today)] == [2]

    await until(corrected_once, 30, "the pumper's correction to reach the API")
    await page.wait_for_function(
        f"async () => (await (await import('{OUTBOX}')).list()).filter(e => e.state === 'sent'"
        f" && e.well_id === '{others[0]}').length === 2"
    )
    [corrected] = await _readings(gateway, owner, others[0], today)  # sent with the pumper's own session
    assert corrected["version"] == 2 and corrected["updated_by"] == stored["recorded_by"]


async def test_pumper_gauges_a_tank_and_records_a_run_ticket(console, console_demo, gateway):
    """Feet, inches and quarters on the phone become the tank's barrels through its strapping table (the wells
    service's own figure for the same gauge); a temperature typo is caught on the phone, beside its field, before
    anything is kept; the saved gauge shows its gross and net barrels (net at 60 F from the tank's temperature).
    A run ticket with the tank's temperatures at both gauges, the sample and a price shows its gross and net, and
    its gross is the opening less the closing volume."""
    owner = await _token(gateway, OWNER[0])
    page = await console.open(phone=True)
    await sign_in(page, PUMPER[0], PASSWORD)
    tank = page.locator("li.route-item[data-tank-id]").first
    await tank.wait_for()
    tank_id = await tank.get_attribute("data-tank-id")

    async def latest_gauge() -> dict | None:
        response = await gateway.get("/api/v1/tank-gauges", params={"tank_id": tank_id, "limit": 1}, headers=owner)
        assert response.status_code == 200, response.text
        return next(iter(response.json()["items"]), None)

    before = await latest_gauge()
    await tank.locator("a").click()
    await page.get_by_label("Feet").fill("8")
    await page.get_by_role("textbox", name="Inches", exact=True).fill("7")
    await page.get_by_label("Quarters").fill("2")
    uncorrected = page.get_by_text("No temperature: this stock will be saved as not temperature-corrected")
    await uncorrected.wait_for()  # said while the temperature is empty
    temperature = page.get_by_label("Tank temperature (°F)")
    assert await temperature.get_attribute("inputmode") == "decimal"
    await temperature.fill("850")  # a typo for 85: refused on the phone, beside the field, nothing kept or sent
    assert not await uncorrected.is_visible()
    await page.get_by_role("button", name="Save gauge").click()
    error = page.locator('[data-field="temperature_f"] .field-error')
    await error.wait_for()
    assert "850 °F is outside -40 °F to 250 °F" in await error.inner_text()
    assert await temperature.get_attribute("aria-invalid") == "true"
    assert await page.evaluate(f"async () => (await import('{OUTBOX}')).list()") == []
    assert await latest_gauge() == before
    await screenshot(page, "pumper-gauge-typo")
    # what only the API knows (the tank is 20 ft tall) comes back beside its field too
    await temperature.fill("85")
    await page.get_by_label("Feet").fill("25")
    await page.get_by_role("button", name="Save gauge").click()
    await page.locator('[data-field="feet"] .field-error').get_by_text("above the top").wait_for()
    assert await temperature.get_attribute("aria-invalid") is None
    await page.get_by_label("Feet").fill("8")
    await page.get_by_role("button", name="Save gauge").click()
    saved = page.locator(".saved")
    # far from the tank's expected balance the phone asks first (test_console_pumper_round.py): it is right
    await page.locator(".saved, .balance-question").first.wait_for()
    if await page.locator(".balance-question").count():
        await page.get_by_label("Yes, the gauge is right").check()
        await page.get_by_role("button", name="Save gauge").click()
    await saved.wait_for()
    gauge = await latest_gauge()
    assert gauge is not None and gauge != before
    assert (gauge["feet"], gauge["inches"], gauge["quarters"]) == (8, 7, 2)
    assert Decimal(gauge["temperature_f"]) == 85 and gauge["net_basis"] == "standard"
    assert Decimal(gauge["net_bbl"]) < Decimal(gauge["barrels"])  # 85 F: the oil shrinks to 60 F
    assert await _figure(saved, ".gross") == Decimal(gauge["barrels"])
    assert await _figure(saved, ".net") == Decimal(gauge["net_bbl"])
    assert await saved.locator(".basis-note").count() == 0
    listed = page.locator(f'li.gauge-item[data-gauge-id="{gauge["id"]}"]')
    await listed.wait_for()  # the tank's recent gauges, the new one first
    assert "bbl gross" in await listed.inner_text() and "net at 60 °F" in await listed.inner_text()
    await screenshot(page, "pumper-gauge-saved")
    await page.get_by_role("link", name="Next stop").click()
    await page.wait_for_function("() => location.hash === '#/route'")
    await page.locator(f'li.route-item.done[data-tank-id="{tank_id}"]').wait_for()
    battery_id = gauge["battery_id"]

    async def strapped(feet: int, inches: int, quarters: int) -> Decimal:
        response = await gateway.get(
            f"/api/v1/batteries/{battery_id}/tanks/{tank_id}/volume",
            params={"feet": feet, "inches": inches, "quarters": quarters},
            headers=owner,
        )
        assert response.status_code == 200, response.text
        return Decimal(response.json()["barrels"])

    assert (gauge["feet"], gauge["inches"], gauge["quarters"]) == (8, 7, 2)
    assert Decimal(gauge["barrels"]) == await strapped(8, 7, 2) > 0

    # in a dead zone with a route kept from yesterday, when every stop was done: the day starts with the same
    # stops and nothing done but what this phone recorded today (the gauge above)
    await page.evaluate(YESTERDAY_ALL_DONE)
    await page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    await page.context.set_offline(True)
    await page.reload()
    await page.get_by_text("No connection: this is the route kept on this phone").wait_for()
    assert await page.get_by_role("heading", name="Today's route").is_visible()
    await page.locator("li.route-item.todo").first.wait_for()
    done = await page.locator("li.route-item.done").evaluate_all("els => els.map(e => e.dataset.tankId)")
    assert done == [tank_id]
    await page.context.set_offline(False)
    await page.reload()
    await page.locator("li.route-item").first.wait_for()
    await page.locator(".updating-note").wait_for(state="detached")  # today's route from the API is drawn
    assert await page.get_by_text("No connection").count() == 0
    assert await page.locator("li.route-item.done").count() == 1  # and it agrees

    await page.get_by_role("link", name="Record a run ticket").click()
    await page.get_by_label("Ticket number").fill("RT-55021")
    await page.get_by_label("Purchaser").fill("Permian Crude Purchasing")
    await page.get_by_role("combobox", name="Tank", exact=True).select_option(tank_id)
    opening = page.get_by_role("group", name="Opening gauge")
    closing = page.get_by_role("group", name="Closing gauge")
    for group, (feet, inches, quarters) in ((opening, ("10", "4", "1")), (closing, ("3", "0", "0"))):
        await group.get_by_label("Feet").fill(feet)
        await group.get_by_role("textbox", name="Inches", exact=True).fill(inches)
        await group.get_by_label("Quarters").fill(quarters)
    await opening.get_by_label("Tank temperature (°F)").fill("84")
    await closing.get_by_label("Tank temperature (°F)").fill("86")
    await page.get_by_label("Observed gravity (°API)").fill("40.2")
    await page.get_by_label("Sample temperature (°F)").fill("72")
    await page.get_by_label("BS&W (%)").fill("0.3")
    await page.get_by_label("Price per barrel ($)").fill("71.25")
    await screenshot(page, "pumper-run-ticket-form")
    await page.get_by_role("button", name="Save run ticket").click()
    saved = page.locator(".saved")
    await saved.wait_for()
    tickets = (await gateway.get("/api/v1/run-tickets", params={"limit": 200}, headers=owner)).json()["items"]
    [ticket] = [t for t in tickets if t["ticket_number"] == "RT-55021"]
    assert Decimal(ticket["gross_bbl"]) == await strapped(10, 4, 1) - await strapped(3, 0, 0)
    assert (Decimal(ticket["opening_temperature_f"]), Decimal(ticket["closing_temperature_f"])) == (84, 86)
    assert Decimal(ticket["observed_temperature_f"]) == 72 and ticket["hydrometer_correction"] is True
    assert Decimal(ticket["bsw_percent"]) == Decimal("0.3") and Decimal(ticket["price_per_bbl"]) == Decimal("71.25")
    assert Decimal(ticket["net_bbl"]) < Decimal(ticket["gross_bbl"])
    assert await _figure(saved, ".gross") == Decimal(ticket["gross_bbl"])
    assert await _figure(saved, ".net") == Decimal(ticket["net_bbl"])
    assert await saved.locator(".price .value").inner_text() == "$71.25"
    await screenshot(page, "pumper-run-ticket-saved")
    # the outbox keeps the API's answer of what it sent: the gauge's and the ticket's barrels
    await page.goto("/#/outbox")
    await page.get_by_role("heading", name="Sent (2)").wait_for()
    assert await page.locator('li.outbox-item[data-state="sent"] .barrels').count() == 2
    assert page.js_errors == []
