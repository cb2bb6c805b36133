"""The console's shell in a real browser: it is served by the gateway, signs a member in through the form, shows
only the navigation the role grants, installs its service worker, and signs out."""

from __future__ import annotations

from console_kit import screenshot, sign_in

from wellflow_devstack.demo import ACCOUNTANT, OWNER, PASSWORD, PUMPER


async def _menu(page) -> list[str]:
    return [text.strip() for text in await page.locator("#nav a").all_inner_texts()]


async def test_each_role_signs_in_and_sees_only_its_pages(console, console_demo):
    page = await console.open()
    await page.goto("/")
    await page.wait_for_function("() => location.hash === '#/signin'")
    await page.get_by_label("Email").fill(OWNER[0])
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("alert").wait_for()
    assert "#/signin" in page.url
    await screenshot(page, "sign-in")

    await sign_in(page, OWNER[0], PASSWORD)
    assert await page.evaluate("location.hash") == "#/dashboard"
    owner_menu = await _menu(page)
    for item in ("Route", "Dashboard", "Wells", "Form PR", "Revenue", "Members", "API keys"):
        assert item in owner_menu, owner_menu
    # the service worker took the app shell, so the route opens with no signal
    await page.wait_for_function("async () => (await navigator.serviceWorker.ready).active !== null")
    cached = await page.evaluate(
        "async () => { const keys = await caches.keys(); const c = await caches.open(keys[0]);"
        " return (await c.keys()).map(r => new URL(r.url).pathname); }"
    )
    assert "/" in cached and "/assets/app.js" in cached and "/assets/pages/pumper.js" in cached, cached

    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_function("() => location.hash === '#/signin'")
    assert await page.evaluate("localStorage.getItem('wellflow.session')") is None

    pumper = await console.open(phone=True)
    await sign_in(pumper, PUMPER[0], PASSWORD)
    assert await pumper.evaluate("location.hash") == "#/route"
    await pumper.get_by_role("button", name="Menu").click()
    pumper_menu = await _menu(pumper)
    assert "Route" in pumper_menu and "Wells" in pumper_menu
    assert not {"Revenue", "JIB", "AFEs", "Form PR", "Members", "API keys"} & set(pumper_menu), pumper_menu
    await pumper.goto("/#/api-keys")
    await pumper.get_by_role("heading", name="Not allowed").wait_for()

    accountant = await console.open()
    await sign_in(accountant, ACCOUNTANT[0], PASSWORD)
    accountant_menu = await _menu(accountant)
    assert "Revenue" in accountant_menu and "Form PR" in accountant_menu
    assert "Route" not in accountant_menu and "Members" not in accountant_menu, accountant_menu
    assert page.js_errors == [] and pumper.js_errors == [] and accountant.js_errors == []
