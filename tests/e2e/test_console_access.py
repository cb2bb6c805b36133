"""Getting people in and back in, in Chromium against a whole stack (this stack has no mail server, so links are
shown to the owner to pass on, as the pages say).

1. A pumper locked out at 6 a.m. (ten wrong guesses) asks for a link with "Forgot password?" (the same answer as
   for any email, and the page says no mail will come), gets a new sign-in link from the owner's Members page,
   follows it on the phone, chooses a new password and lands on the route; the old password is dead.
2. The owner invites someone, sends the invitation again (a new link, the old one refused) and withdraws it.
"""

from __future__ import annotations

import asyncio

import httpx
from console_kit import screenshot, sign_in

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a new password for the route"


async def _company_with_a_pumper(gateway: httpx.AsyncClient, sign_up) -> tuple[dict, str]:
    owner = await sign_up("Permian Pumping")
    email = "lee@permianpumping.com"
    headers = {"Authorization": f"Bearer {owner['access_token']}"}
    invited = await gateway.post("/api/v1/invitations", json={"email": email, "role": "pumper"}, headers=headers)
    assert invited.status_code == 201 and invited.json()["delivery"] == "not_mailed", invited.text
    accepted = await gateway.post(
        "/api/v1/invitations/accept",
        json={"token": invited.json()["token"], "password": PASSWORD, "full_name": "Lee Ortiz"},
    )
    assert accepted.status_code == 200, accepted.text
    return owner, email


async def _lock_out(gateway: httpx.AsyncClient, email: str) -> None:
    """Ten wrong guesses from this address, waiting out the slow-downs between them: the account is locked."""
    failures = 0
    while failures < 10:
        attempt = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": "is it pump123?"})
        if attempt.status_code == 429:
            await asyncio.sleep(int(attempt.headers["retry-after"]))
            continue
        assert attempt.status_code == 401, attempt.text
        failures += 1


async def test_a_locked_out_pumper_follows_a_sign_in_link_from_the_owner_and_reaches_the_route(
    console, gateway, sign_up
):
    _owner, email = await _company_with_a_pumper(gateway, sign_up)
    await _lock_out(gateway, email)

    phone = await console.open(phone=True)
    await phone.goto("/#/signin")
    await phone.get_by_label("Email").fill(email)
    await phone.get_by_label("Password").fill(PASSWORD)
    await phone.get_by_role("button", name="Sign in").click()
    assert "Too many failed sign-ins" in await phone.get_by_role("alert").inner_text()

    await phone.get_by_role("link", name="Forgot password?").click()
    await phone.get_by_label("Email").fill(email)
    await phone.get_by_role("button", name="Send me a link").click()
    status = phone.get_by_role("status")
    await status.get_by_text("If an account uses this email").wait_for()
    assert "ask your company's owner for a new sign-in link" in await status.inner_text()
    await screenshot(phone, "forgot-password")

    office = await console.open()
    await sign_in(office, "owner@permianpumping.com", PASSWORD)
    await office.goto("/#/team")
    row = office.get_by_role("region", name="Members").locator("tr", has_text=email)
    await row.get_by_role("button", name="New sign-in link").click()
    await row.get_by_role("button", name="Yes, make the link").click()
    link = await office.locator("code", has_text="#/reset?token=").inner_text()
    assert "This WellFlow sends no mail" in await office.locator(".acc-secret").inner_text()
    await screenshot(office, "owner-sign-in-link")

    await phone.goto(link[link.index("/#/") :])
    await phone.get_by_label("New password").fill("short")
    await phone.get_by_role("button", name="Set the password and sign in").click()
    error = phone.locator('[data-field="password"] .field-error')
    await error.wait_for()
    assert "12" in await error.inner_text()
    await phone.get_by_label("New password").fill(NEW_PASSWORD)
    await phone.get_by_role("button", name="Set the password and sign in").click()
    await phone.wait_for_function("() => location.hash === '#/route'")
    await phone.get_by_role("heading", name="Today's route").wait_for()
    await screenshot(phone, "route-after-new-password")

    old = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
    assert old.status_code == 401
    again = await gateway.post(
        "/api/v1/auth/password-reset/confirm", json={"token": link.split("token=")[1], "password": "x" * 20}
    )
    assert again.status_code == 409  # the link worked once
    assert phone.js_errors == [] and office.js_errors == []  # type: ignore[attr-defined]


async def test_an_owner_sends_an_invitation_again_and_withdraws_it(console, gateway, sign_up):
    await sign_up("Caprock Operating")
    office = await console.open()
    await sign_in(office, "owner@caprockoperating.com", PASSWORD)
    await office.goto("/#/team")
    invite = office.locator("form", has=office.get_by_role("button", name="Send invitation"))
    await invite.get_by_label("Email").fill("sam@caprock.com")
    await invite.get_by_role("button", name="Send invitation").click()
    first = await office.locator("code", has_text="#/accept?token=").inner_text()

    invitations = office.get_by_role("region", name="Invitations")
    row = invitations.locator("tr", has_text="sam@caprock.com")
    await row.get_by_role("button", name="Send the invitation for sam@caprock.com again").click()
    await office.wait_for_function(
        "(first) => { const c = document.querySelector('.acc-secret code'); return c && c.textContent !== first; }",
        arg=first,
    )
    second = await office.locator("code", has_text="#/accept?token=").inner_text()
    old = await gateway.post(
        "/api/v1/invitations/accept", json={"token": first.split("token=")[1], "password": PASSWORD, "full_name": "Sam"}
    )
    assert old.status_code == 404  # the first link died with its token

    await row.get_by_role("button", name="Withdraw").click()
    await row.get_by_role("button", name="Yes, withdraw").click()
    await invitations.locator("tr", has_text="withdrawn").wait_for()
    assert await invitations.get_by_role("button", name="Withdraw").count() == 0
    withdrawn = await gateway.post(
        "/api/v1/invitations/accept",
        json={"token": second.split("token=")[1], "password": PASSWORD, "full_name": "Sam"},
    )
    assert withdrawn.status_code == 410
    await screenshot(office, "owner-invitations")
    assert office.js_errors == []  # type: ignore[attr-defined]
