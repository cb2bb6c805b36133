"""The pumper's round in fewer taps, on a 375-px phone: after each save the route goes on from the next unfinished
stop (focused and in view, through a reload too); a well recorded down reads "Down"; the "No connection" note
clears by itself within seconds of the signal returning; a gauge far from the tank's expected balance is asked
about before it is kept (online and with no signal); a run ticket started from the gauge just taken has its
opening gauge, purchaser, hauler and driver filled in and shows its gross and net barrels before saving, the
same the API then stores."""

from __future__ import annotations

import math
import time
from decimal import Decimal

import httpx
from console_kit import screenshot, sign_in

from wellflow_devstack.demo import OWNER, PASSWORD, PUMPER

OUTBOX = "/assets/lib/outbox.js"
TODAY = (
    "() => { const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'),"
    " String(d.getDate()).padStart(2, '0')].join('-'); }"
)
# the route stop that has the focus (its well or tank id)
FOCUSED = (
    "() => { const li = document.activeElement?.closest('li.route-item');"
    " return li ? (li.dataset.wellId || li.dataset.tankId) : null; }"
)
IN_VIEW = "(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"


async def _token(gateway: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _item(page, well_id: str):
    return page.locator(f'li.route-item[data-well-id="{well_id}"]')


async def _reading(page, well_id: str, oil: str, hours: str = "24", reason: str | None = None) -> None:
    await _item(page, well_id).locator("a").click()
    await page.get_by_label("Oil (bbl)").fill(oil)
    await page.get_by_label("Gas (mcf)").fill("0" if hours == "0" else "20")
    await page.get_by_label("Water (bbl)").fill("0" if hours == "0" else "3")
    await page.get_by_label("Hours on").fill(hours)
    if reason:
        await page.get_by_label("Downtime reason").select_option(reason)
    await page.get_by_role("button", name="Save reading").click()
    await page.wait_for_function("() => location.hash === '#/route'")


async def _next_is(page, well_id: str) -> None:
    """The route shows `well_id` as the next stop, focused and in view."""
    await page.locator(f'li.route-item.next[data-well-id="{well_id}"]').wait_for()
    await page.wait_for_function(f"() => ({FOCUSED})() === '{well_id}'")
    where = await _item(page, well_id).evaluate("el => [el.getBoundingClientRect().top, window.innerHeight]")
    assert await _item(page, well_id).evaluate(IN_VIEW), where
    assert await _item(page, well_id).get_by_text("Next stop").is_visible()


async def test_save_and_next_a_down_well_and_the_offline_note_clearing(console, console_demo, gateway):
    page = await console.open(phone=True)
    await sign_in(page, PUMPER[0], PASSWORD)
    await page.locator("li.route-item[data-well-id]").first.wait_for()
    wells = await page.locator("li.route-item[data-well-id]").evaluate_all("els => els.map(e => e.dataset.wellId)")
    assert len(wells) >= 4, wells
    first, second, third, fourth = wells[:4]
    assert await page.locator("li.route-item.next").count() == 0  # a new day starts at the top

    # save and next: the route opens on the stop after the one just saved, not at the top
    await _reading(page, first, "12.5")
    await _next_is(page, second)
    # a well recorded down (0 hours on, with its reason) is down, not a green "Done"; the route goes on
    await _reading(page, second, "0", hours="0", reason="mechanical")
    await _next_is(page, third)
    down = _item(page, second)
    assert "Down" in await down.inner_text() and "Done" not in await down.inner_text()
    assert await down.evaluate("el => el.classList.contains('down') && el.classList.contains('done')")
    await screenshot(page, "pumper-route-next-stop")
    # the place holds through a reload (the phone's copy first, then the API's answer)
    await page.reload()
    await _next_is(page, third)
    await page.locator(".updating-note").wait_for(state="detached")
    assert await page.evaluate(FOCUSED) == third
    assert "Down" in await _item(page, second).inner_text()  # from the API's hours on now

    # no signal: the route is the phone's copy, and the note says so ...
    await page.wait_for_function("async () => (await navigator.serviceWorker.ready).active !== null")
    if not await page.evaluate("() => navigator.serviceWorker.controller !== null"):
        await page.reload()
        await page.locator("li.route-item[data-well-id]").first.wait_for()
    await page.context.set_offline(True)
    await _reading(page, third, "9")  # kept on the phone, waiting
    await page.reload()
    note = page.get_by_text("No connection: this is the route kept on this phone")
    await note.wait_for()
    await _next_is(page, fourth)
    # ... and clears by itself within seconds of the signal returning (no reload, no tap)
    await page.context.set_offline(False)
    started = time.monotonic()
    await note.wait_for(state="detached", timeout=6000)
    assert time.monotonic() - started < 6
    await page.locator(f'li.route-item.done[data-well-id="{third}"]').wait_for()
    assert page.js_errors == []


async def _route(gateway: httpx.AsyncClient, auth: dict[str, str], day: str) -> dict:
    response = await gateway.get("/api/v1/production/route", params={"date": day}, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


def _gauge_of(inches: int) -> tuple[int, int]:
    return divmod(inches, 12)


async def _fill_gauge(page, feet: int, inches: int) -> None:
    await page.get_by_label("Feet").fill(str(feet))
    await page.get_by_role("textbox", name="Inches", exact=True).fill(str(inches))
    await page.get_by_label("Quarters").fill("0")


async def test_an_out_of_balance_gauge_is_asked_about_and_a_run_ticket_starts_from_the_gauge(
    console, console_demo, gateway
):
    owner = await _token(gateway, OWNER[0])
    pumper = await _token(gateway, PUMPER[0])
    page = await console.open(phone=True)
    await sign_in(page, PUMPER[0], PASSWORD)
    await page.locator("li.route-item[data-tank-id]").first.wait_for()
    route = await _route(gateway, pumper, await page.evaluate(TODAY))
    oil = [t for t in route["tanks"] if t["product"] == "oil" and t["balance"]]
    assert len(oil) >= 2, route["tanks"]
    tank, other = oil[0], oil[1]
    per_inch = Decimal(tank["strapping"][-1][1]) / Decimal(tank["strapping"][-1][0])
    balance = tank["balance"]
    high = Decimal(balance["expected_high_bbl"]) + Decimal(balance["tolerance_bbl"])
    wild = math.ceil((high + 120) / per_inch)  # 120 bbl above what the tank can hold now
    assert wild < int(Decimal(tank["strapping"][-1][0])), "the tank is too full for this test"
    gauges = {"tank_id": tank["tank_id"], "limit": 200}
    before = (await gateway.get("/api/v1/tank-gauges", params=gauges, headers=owner)).json()["items"]

    # a gauge far above the tank's balance: asked about, nothing kept or sent
    await page.locator(f'li.route-item[data-tank-id="{tank["tank_id"]}"] a').click()
    await _fill_gauge(page, *_gauge_of(wild))
    # the barrels as typed, from the tank's strapping: the wells service's own figure for that gauge
    strapped = await gateway.get(
        f"/api/v1/batteries/{tank['battery_id']}/tanks/{tank['tank_id']}/volume",
        params={"feet": _gauge_of(wild)[0], "inches": _gauge_of(wild)[1], "quarters": 0},
        headers=owner,
    )
    assert strapped.status_code == 200, strapped.text
    live = page.locator(".gauge-barrels")
    await live.get_by_text("bbl gross").wait_for()
    assert Decimal(await live.get_attribute("data-barrels")) == Decimal(strapped.json()["barrels"])
    await page.get_by_label("Tank temperature (°F)").fill("78")
    await page.get_by_role("button", name="Save gauge").click()
    question = page.locator(".balance-question")
    await question.wait_for()
    assert "the tank should hold" in await question.inner_text()
    assert await page.evaluate(f"async () => (await import('{OUTBOX}')).list()") == []
    await screenshot(page, "pumper-gauge-out-of-balance")
    # fixed: the last gauge's own level is within the balance and is kept without a question
    last = tank["last_gauge"]
    await _fill_gauge(page, last["feet"], last["inches"])
    await page.get_by_label("Quarters").fill(str(last["quarters"]))
    await page.get_by_role("button", name="Save gauge").click()
    saved = page.locator(".saved")
    await saved.wait_for()
    after = (await gateway.get("/api/v1/tank-gauges", params=gauges, headers=owner)).json()["items"]
    assert len(after) == len(before) + 1
    gauge = after[0]
    assert (gauge["feet"], gauge["inches"], gauge["quarters"]) == (last["feet"], last["inches"], last["quarters"])

    # a truck at the tank: the ticket starts from this gauge, with the lease's purchaser, hauler and driver
    await page.get_by_role("link", name="Run ticket from this gauge").click()
    opening = page.get_by_role("group", name="Opening gauge")
    closing = page.get_by_role("group", name="Closing gauge")
    await opening.get_by_text("From the tank's gauge").wait_for()
    assert await opening.get_by_label("Feet").input_value() == str(last["feet"])
    assert await opening.get_by_role("textbox", name="Inches", exact=True).input_value() == str(last["inches"])
    assert await opening.get_by_label("Tank temperature (°F)").input_value() == "78"
    assert await page.get_by_role("combobox", name="Tank", exact=True).input_value() == tank["tank_id"]
    purchaser = route["ticket_parties"][tank["lease_id"]]["purchasers"][0]
    assert await page.get_by_label("Purchaser").input_value() == purchaser
    hauler = route["ticket_parties"][tank["lease_id"]]["haulers"][0]  # the lease's latest ticket's hauler
    assert await page.get_by_label("Hauler").input_value() == hauler
    assert await page.get_by_label("Driver").input_value() == "R. Salinas"
    assert await page.locator("#ticket-purchasers option").count() >= 1
    # typed: the ticket number, the closing gauge and temperature, the sample
    level = (last["feet"] * 12 + last["inches"]) // 2  # the truck takes about half
    await page.get_by_label("Ticket number").fill("RT-7001")
    await closing.get_by_label("Feet").fill(str(_gauge_of(level)[0]))
    await closing.get_by_role("textbox", name="Inches", exact=True).fill(str(_gauge_of(level)[1]))
    await closing.get_by_label("Tank temperature (°F)").fill("77")
    await page.get_by_label("Observed gravity (°API)").fill("40.2")
    await page.get_by_label("Sample temperature (°F)").fill("72")
    await page.get_by_label("BS&W (%)").fill("0.3")
    preview = page.locator('.ticket-preview[data-ready="true"]')
    await preview.wait_for()
    shown_gross = Decimal((await preview.locator(".gross .value").inner_text()).replace(",", ""))
    shown_net = Decimal((await preview.locator(".net .value").inner_text()).replace(",", ""))
    await screenshot(page, "pumper-run-ticket-preview")
    await page.get_by_role("button", name="Save run ticket").click()
    await page.locator(".saved").wait_for()
    tickets = (await gateway.get("/api/v1/run-tickets", params={"limit": 200}, headers=owner)).json()["items"]
    [ticket] = [t for t in tickets if t["ticket_number"] == "RT-7001"]
    assert (Decimal(ticket["gross_bbl"]), Decimal(ticket["net_bbl"])) == (shown_gross, shown_net)
    assert ticket["purchaser"] == purchaser and ticket["hauler"] == hauler

    # with no signal the other tank's wild gauge is asked about too
    await page.wait_for_function("async () => (await navigator.serviceWorker.ready).active !== null")
    await page.goto("/#/route")
    await page.locator(f'li.route-item[data-tank-id="{other["tank_id"]}"]').wait_for()
    await page.context.set_offline(True)
    await page.locator(f'li.route-item[data-tank-id="{other["tank_id"]}"] a').click()
    other_high = Decimal(other["balance"]["expected_high_bbl"]) + Decimal(other["balance"]["tolerance_bbl"])
    await _fill_gauge(page, *_gauge_of(math.ceil((other_high + 120) / per_inch)))
    await page.get_by_role("button", name="Save gauge").click()
    await page.locator(".balance-question").wait_for()
    assert await page.evaluate(f"async () => (await import('{OUTBOX}')).list()") != []  # the ticket, sent
    waiting = await page.evaluate(f"async () => (await (await import('{OUTBOX}')).counts()).pending")
    assert waiting == 0
    # the pumper says it is right: kept on the phone, waiting to send
    await page.get_by_label("Yes, the gauge is right").check()
    await page.get_by_role("button", name="Save gauge").click()
    await page.wait_for_function("() => location.hash === '#/route'")
    assert await page.evaluate(f"async () => (await (await import('{OUTBOX}')).counts()).pending") == 1
    await page.context.set_offline(False)
    assert page.js_errors == []
