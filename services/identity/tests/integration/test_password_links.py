"""A person locked out gets back in: "Forgot password?" mails a single-use link (the same answer whatever the
email), following it sets the password, ends every session and unlocks the account; an owner can make a member a
new sign-in link. Mail goes through a real SMTP conversation with a small local mail server."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import httpx

from wellflow_devstack.mail_catcher import MailCatcher

NEW_PASSWORD = "a brand new pumper password"


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).fragment.split("?", 1)[1])["token"][0]


async def ask(service, email: str) -> httpx.Response:
    return await service.client.post("/api/v1/auth/password-reset", json={"email": email})


async def confirm(service, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    return await service.client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": password})


async def test_asking_answers_the_same_for_any_email_and_mails_only_an_account_with_a_hashed_single_use_link(mailed):
    service, catcher = mailed
    owner = await service.sign_up()
    known, unknown = await ask(service, owner["email"].upper()), await ask(service, "nobody-here@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json() and known.json()["mail_configured"] is True
    assert "token" not in known.text and "wfp_" not in known.text  # the requester never sees the link

    message = await catcher.wait_for(owner["email"])
    assert message["Subject"] == "Choose a new WellFlow password"
    link = catcher.link(message)
    assert link.startswith("https://wellflow.test/#/reset?token=wfp_")
    assert catcher.to("nobody-here@example.com") == []
    stored = await service.owner_query("SELECT token_hash FROM password_resets")
    assert [row[0] for row in stored] == [hashlib.sha256(token_of(link).encode()).hexdigest()]


async def test_following_the_link_signs_out_everywhere_unlocks_the_account_and_works_once(mailed, service):
    plain = service  # no mail server: invitations answer their token (a shorter set-up)
    service, catcher = mailed
    owner = await plain.sign_up()
    other_company = await plain.sign_up(org="Caprock Operating LLC")
    pumper = await plain.invite_and_accept(owner, "pumper")
    elsewhere = await plain.client.post(
        "/api/v1/invitations", json={"email": pumper["email"], "role": "pumper"}, headers=plain.bearer(other_company)
    )
    second = await plain.client.post(
        "/api/v1/invitations/accept", json={"token": elsewhere.json()["token"], "password": plain.password}
    )
    assert second.status_code == 200, second.text
    # locked out at 6 a.m.: ten wrong guesses from the phone, now even the right password waits 15 minutes
    for _ in range(10):
        attempt = await service.sign_in(pumper["email"], "what was it again")
        if attempt.status_code == 429:
            service.clock.advance(int(attempt.headers["retry-after"]))
            attempt = await service.sign_in(pumper["email"], "what was it again")
        assert attempt.status_code == 401
    assert (await service.sign_in(pumper["email"])).status_code == 429

    assert (await ask(service, pumper["email"])).status_code == 202
    token = token_of(catcher.link(await catcher.wait_for(pumper["email"])))
    service.clock.advance(1)
    changed = await confirm(service, token)
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"user_id": pumper["user_id"], "email": pumper["email"]}

    signed_in = await service.sign_in(pumper["email"], NEW_PASSWORD)
    assert signed_in.status_code == 200, signed_in.text  # the lock went with the old password
    assert (await service.sign_in(pumper["email"], service.password)).status_code == 401
    for session in (pumper, second.json()):  # both organizations' sessions ended
        refreshed = await service.client.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert refreshed.status_code == 401, refreshed.text
    again = await confirm(service, token, "yet another new password")
    assert again.status_code == 409 and again.json()["type"].endswith("password-link-used")

    events = await service.owner_query(
        "SELECT tenant_id, payload FROM outbox WHERE event_type = 'identity.access_revoked.v1'"
    )
    revoked = {str(tenant): json.loads(payload) for tenant, payload in events}
    assert set(revoked) == {owner["organization_id"], other_company["organization_id"]}
    assert all(e["reason"] == "password_reset" and e["subjects"] == [pumper["user_id"]] for e in revoked.values())
    audit = await service.client.get("/api/v1/audit-log?action=password.reset", headers=service.bearer(owner))
    assert [e["subject_id"] for e in audit.json()] == [pumper["user_id"]]
    assert audit.json()[0]["details"]["refresh_tokens_revoked"] >= 1


async def _accept_token(catcher: MailCatcher, invited: httpx.Response) -> str:
    assert invited.status_code == 201, invited.text
    assert invited.json()["delivery"] == "mailed" and invited.json()["token"] is None
    return token_of(catcher.link(await catcher.wait_for(invited.json()["email"])))


async def test_a_newer_link_spends_the_older_a_late_one_expires_and_bad_input_changes_nothing(mailed):
    service, catcher = mailed
    owner = await service.sign_up()
    await ask(service, owner["email"])
    await ask(service, owner["email"])
    first = token_of(catcher.link(await catcher.wait_for(owner["email"], count=1)))
    second = token_of(catcher.link(await catcher.wait_for(owner["email"], count=2)))
    assert (await confirm(service, first)).status_code == 409

    weak = await confirm(service, second, "short")
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "body.password"
    mail_as_password = await confirm(service, second, owner["email"])
    assert mail_as_password.status_code == 422
    unknown = await confirm(service, "wfp_" + "x" * 43)
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["field"] == "body.token"
    assert (await service.sign_in(owner["email"])).status_code == 200  # the password is unchanged

    service.clock.advance(service.settings.password_reset_ttl_seconds + 1)
    late = await confirm(service, second)
    assert late.status_code == 410 and late.json()["type"].endswith("password-link-expired")


async def test_asking_is_throttled_per_email_the_same_whether_it_has_an_account(mailed):
    service, catcher = mailed
    owner = await service.sign_up()
    answers = {}
    for email in (owner["email"], "stranger@example.com"):
        statuses = [(await ask(service, email)).status_code for _ in range(4)]
        throttled = await ask(service, email)
        problem = {k: throttled.json()[k] for k in ("type", "title", "detail", "status")}
        answers[email] = (statuses, throttled.status_code, throttled.headers.get("retry-after"), problem)
    assert answers[owner["email"]] == answers["stranger@example.com"]
    assert answers[owner["email"]][0] == [202, 202, 202, 429]
    assert len(catcher.to(owner["email"])) == 3
    # asking for links never locks anyone out of signing in
    assert (await service.sign_in(owner["email"])).status_code == 200


async def test_an_owner_makes_a_member_a_sign_in_link_shown_once_without_mail(service):
    owner = await service.sign_up()
    pumper = await service.invite_and_accept(owner, "pumper")
    made = await service.client.post(f"/api/v1/members/{pumper['user_id']}/sign-in-link", headers=service.bearer(owner))
    assert made.status_code == 201, made.text
    assert made.json()["delivery"] == "not_mailed" and made.json()["token"].startswith("wfp_")
    assert made.headers["cache-control"] == "no-store"
    assert (await confirm(service, made.json()["token"])).status_code == 200
    service.clock.advance(1)  # tokens issued in the instant of the revocation are refused with it

    audit = await service.client.get("/api/v1/audit-log?action=member.sign_in_link_made", headers=service.bearer(owner))
    assert [(e["actor_id"], e["subject_id"]) for e in audit.json()] == [(owner["user_id"], pumper["user_id"])]
    own = await service.client.post(f"/api/v1/members/{owner['user_id']}/sign-in-link", headers=service.bearer(owner))
    assert own.status_code == 409
    not_owner = await service.client.post(
        f"/api/v1/members/{owner['user_id']}/sign-in-link", headers=service.bearer(await _fresh(service, pumper))
    )
    assert not_owner.status_code == 403


async def _fresh(service, member: dict) -> dict:
    response = await service.sign_in(member["email"], NEW_PASSWORD)
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_owner_cannot_see_a_link_for_someone_of_another_company_nor_reach_another_companys_members(service):
    owner = await service.sign_up()
    other = await service.sign_up(org="Caprock Operating LLC")
    shared = await service.invite_and_accept(owner, "pumper")
    invited = await service.client.post(
        "/api/v1/invitations", json={"email": shared["email"], "role": "pumper"}, headers=service.bearer(other)
    )
    accepted = await service.client.post(
        "/api/v1/invitations/accept", json={"token": invited.json()["token"], "password": service.password}
    )
    assert accepted.status_code == 200
    refused = await service.client.post(
        f"/api/v1/members/{shared['user_id']}/sign-in-link", headers=service.bearer(owner)
    )
    assert refused.status_code == 409 and refused.json()["type"].endswith("member-of-other-organizations")
    assert await service.owner_query("SELECT id FROM password_resets") == []
    foreign = await service.client.post(
        f"/api/v1/members/{other['user_id']}/sign-in-link", headers=service.bearer(owner)
    )
    assert foreign.status_code == 404


async def test_with_a_mail_server_the_owner_never_sees_the_link_the_member_gets_it(mailed):
    service, catcher = mailed
    owner = await service.sign_up()
    invited = await service.client.post(
        "/api/v1/invitations", json={"email": "lee@example.com", "role": "pumper"}, headers=service.bearer(owner)
    )
    accepted = await service.client.post(
        "/api/v1/invitations/accept",
        json={"token": await _accept_token(catcher, invited), "password": service.password, "full_name": "Lee Ortiz"},
    )
    assert accepted.status_code == 200, accepted.text
    made = await service.client.post(
        f"/api/v1/members/{accepted.json()['user_id']}/sign-in-link", headers=service.bearer(owner)
    )
    assert made.status_code == 201 and made.json()["delivery"] == "mailed" and made.json()["token"] is None
    message = await catcher.wait_for("lee@example.com", count=2)
    assert "Olive Owner made you a new sign-in link" in message.get_body().get_content()
    assert (await confirm(service, token_of(catcher.link(message)))).status_code == 200
