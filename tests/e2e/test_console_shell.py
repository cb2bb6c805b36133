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
    assert "/" in cached and "/assets/app.js" in cached and "/assets/pages/production/route.js" in cached, cached

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


async def test_a_company_signs_up_and_a_pumper_joins_from_the_invitation_link(console, gateway):
    page = await console.open(phone=True)
    await page.goto("/#/signin")
    await page.get_by_role("link", name="Start an account for your company").click()
    await page.get_by_label("Company name").fill("Permian Pumping LLC")
    await page.get_by_label("RRC operator number").fill("654321")
    await page.get_by_label("Your name").fill("Dana Ruiz")
    await page.get_by_label("Email").fill("dana@permianpumping.com")
    await page.get_by_label("Password").fill("short")
    await page.get_by_role("button", name="Create the account").click()
    error = page.locator('[data-field="password"] .field-error')
    await error.wait_for()
    assert "12" in await error.inner_text()  # the API's own words, beside the password
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create the account").click()
    await page.wait_for_function("() => location.hash === '#/dashboard'")
    await page.get_by_text("No leases yet").wait_for()

    # the owner invites a pumper from the Members page and sends the link it shows
    await page.goto("/#/team")
    await page.get_by_label("Email").fill("lee@permianpumping.com")
    await page.get_by_label("Role").select_option("pumper")
    await page.get_by_role("button", name="Send invitation").click()
    link = await page.locator("code", has_text="#/accept?token=").inner_text()
    assert "/#/accept?token=" in link, link

    pumper = await console.open(phone=True)
    await pumper.goto(link[link.index("/#/") :])
    await pumper.get_by_label("Your name").fill("Lee Ortiz")
    await pumper.get_by_label("Password").fill(PASSWORD)
    await pumper.get_by_role("button", name="Join").click()
    await pumper.wait_for_function("() => location.hash === '#/route'")
    await pumper.wait_for_function("() => JSON.parse(localStorage.getItem('wellflow.profile') || '{}').full_name")
    me = await pumper.evaluate("JSON.parse(localStorage.getItem('wellflow.profile'))")
    assert me["role"] == "pumper" and me["full_name"] == "Lee Ortiz"
    assert page.js_errors == [] and pumper.js_errors == []


PAGES = [
    "/dashboard",
    "/alerts",
    "/lease-month",
    "/wells",
    "/leases",
    "/compliance/form-pr",
    "/compliance/submissions",
    "/compliance/severance",
    "/compliance/calendar",
    "/accounting/revenue",
    "/accounting/jib",
    "/accounting/afes",
    "/accounting/1099",
    "/team",
    "/api-keys",
    "/route",
    "/outbox",
    "/run-ticket",
]
DETAILS = ["/wells", "/leases", "/accounting/revenue", "/accounting/jib", "/accounting/afes", "/team"]


async def _settled(page) -> None:
    await page.locator("main h1").first.wait_for()
    await page.wait_for_load_state("networkidle")
    await page.locator("main .loading").first.wait_for(state="detached")  # every part of the page has drawn


async def test_every_page_draws_without_errors_and_fits_a_phone(console, console_demo):
    """The owner sees every page; each draws with no script error, nothing wider than the screen (a table
    scrolls inside its own box), at desktop and phone size; screenshots of each are kept."""
    for phone in (False, True):
        page = await console.open(phone=phone)
        await sign_in(page, OWNER[0], PASSWORD)
        width = 375 if phone else 1280
        visited = [*PAGES]
        for path in PAGES:
            await page.goto(f"/#{path}")
            await _settled(page)
            assert await page.evaluate("document.documentElement.scrollWidth") <= width, path
            await screenshot(page, "page" + path)
        for path in DETAILS:  # the first item of each list
            await page.goto(f"/#{path}")
            await _settled(page)
            await page.locator(f'main a[href^="#{path}/"]').first.click()
            await page.wait_for_function(f"() => location.hash.startsWith('#{path}/')")
            await _settled(page)
            assert await page.evaluate("document.documentElement.scrollWidth") <= width, path
            await screenshot(page, "page" + path + "-one")
            visited.append(await page.evaluate("location.hash"))
        assert page.js_errors == [], page.js_errors
        assert len(visited) == len(PAGES) + len(DETAILS)


async def test_a_first_visit_types_into_the_pages_own_form_before_the_scripts_arrive(console, console_demo):
    """index.html carries the sign-in form, so a phone on a slow link types while app.js is still on its way; the
    script takes the form over with what was typed and where the caret was, and one answer brings the session and
    the day's route (POST /console/session)."""
    page = await console.open(phone=True)
    arrived = []

    async def late_app(route):
        await page.wait_for_timeout(1500)  # the scripts take a while on a field connection
        arrived.append(True)
        await route.continue_()

    await page.route("**/assets/app.js", late_app)
    sessions = []
    page.on("request", lambda request: sessions.append(request.url) if "/console/session" in request.url else None)
    await page.goto("/", wait_until="commit")  # not "load": that waits for the module script
    email = page.get_by_label("Email")
    await email.wait_for()
    assert not arrived and await page.get_by_role("button", name="Sign in").is_disabled()
    await email.press_sequentially(PUMPER[0][:6], delay=20)  # typed before the script came...
    await page.wait_for_function("() => location.hash === '#/signin'")  # ...and on after it took the form over
    await page.keyboard.type(PUMPER[0][6:], delay=20)
    assert await email.input_value() == PUMPER[0]
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.locator(".route-item a").first.wait_for()
    assert len(sessions) == 1 and "route=" in sessions[0]
    assert page.js_errors == []
