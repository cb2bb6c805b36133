"""An invitation after it is made: really mailed (through a local SMTP server), listed with its state, sent again
with a new token (the old link dies), withdrawn (its link refused), all audited and confined to its
organization (another organization's ids answer 404)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from wellflow_devstack.mail_catcher import MailCatcher


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).fragment.split("?", 1)[1])["token"][0]


async def _invite(service, owner: dict, email: str) -> dict:
    response = await service.client.post(
        "/api/v1/invitations", json={"email": email, "role": "pumper"}, headers=service.bearer(owner)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _accept(service, token: str) -> int:
    body = {"token": token, "password": service.password, "full_name": "Lee Ortiz"}
    return (await service.client.post("/api/v1/invitations/accept", json=body)).status_code


async def test_an_invitation_is_mailed_sent_again_with_a_new_link_and_the_old_one_dies(mailed):
    service, catcher = mailed
    owner = await service.sign_up()
    made = await _invite(service, owner, "Lee@Example.com")
    assert made["delivery"] == "mailed" and made["token"] is None and made["state"] == "pending"
    first = await catcher.wait_for("lee@example.com")
    assert first["Subject"] == "Join Permian Basin Operating LLC on WellFlow"
    assert "Olive Owner invites you" in first.get_body().get_content()
    old_token = token_of(catcher.link(first))

    service.clock.advance(3600)
    resent = await service.client.post(f"/api/v1/invitations/{made['id']}/resend", headers=service.bearer(owner))
    assert resent.status_code == 200, resent.text
    assert resent.json()["send_count"] == 2 and resent.json()["token"] is None
    assert resent.json()["expires_at"] > made["expires_at"]
    new_token = token_of(catcher.link(await catcher.wait_for("lee@example.com", count=2)))
    assert new_token != old_token
    assert await _accept(service, old_token) == 404
    assert await _accept(service, new_token) == 200

    listed = (await service.client.get("/api/v1/invitations", headers=service.bearer(owner))).json()
    assert [(i["email"], i["state"], i["delivery"]) for i in listed] == [("lee@example.com", "accepted", "mailed")]
    again = await service.client.post(f"/api/v1/invitations/{made['id']}/resend", headers=service.bearer(owner))
    assert again.status_code == 409
    actions = (await service.client.get("/api/v1/audit-log", headers=service.bearer(owner))).json()
    assert {"invitation.created", "invitation.resent", "invitation.accepted"} <= {a["action"] for a in actions}


async def test_a_withdrawn_invitation_no_longer_lets_anyone_join(service):
    owner = await service.sign_up()
    made = await _invite(service, owner, "sam@example.com")
    assert made["delivery"] == "not_mailed" and made["token"].startswith("wfi_")  # no mail server: pass it on
    revoked = await service.client.delete(f"/api/v1/invitations/{made['id']}", headers=service.bearer(owner))
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["state"] == "revoked" and revoked.json()["revoked_at"] is not None
    refused = await service.client.post(
        "/api/v1/invitations/accept", json={"token": made["token"], "password": service.password, "full_name": "Sam"}
    )
    assert refused.status_code == 410 and refused.json()["type"].endswith("invitation-revoked")
    twice = await service.client.delete(f"/api/v1/invitations/{made['id']}", headers=service.bearer(owner))
    assert twice.status_code == 200 and twice.json()["revoked_at"] == revoked.json()["revoked_at"]
    resend = await service.client.post(f"/api/v1/invitations/{made['id']}/resend", headers=service.bearer(owner))
    assert resend.status_code == 409 and resend.json()["type"].endswith("invitation-revoked")
    audit = await service.client.get("/api/v1/audit-log?action=invitation.revoked", headers=service.bearer(owner))
    assert [e["subject_id"] for e in audit.json()] == [made["id"]]

    # an expired invitation is sent again with a new token that works
    late = await _invite(service, owner, "kim@example.com")
    service.clock.advance(service.settings.invitation_ttl_seconds + 1)
    listed = (await service.client.get("/api/v1/invitations", headers=service.bearer(owner))).json()
    assert {i["email"]: i["state"] for i in listed} == {"kim@example.com": "expired", "sam@example.com": "revoked"}
    renewed = await service.client.post(f"/api/v1/invitations/{late['id']}/resend", headers=service.bearer(owner))
    assert renewed.json()["state"] == "pending" and renewed.json()["token"] != late["token"]
    assert await _accept(service, renewed.json()["token"]) == 200


async def test_another_organizations_invitations_answer_404_and_a_pumper_may_not_touch_them(service):
    owner = await service.sign_up()
    other = await service.sign_up(org="Caprock Operating LLC")
    theirs = await _invite(service, other, "their.pumper@example.com")
    for method, path in (("DELETE", ""), ("POST", "/resend")):
        response = await service.client.request(
            method, f"/api/v1/invitations/{theirs['id']}{path}", headers=service.bearer(owner)
        )
        assert response.status_code == 404, response.text
    listed = (await service.client.get("/api/v1/invitations", headers=service.bearer(other))).json()
    assert listed[0]["state"] == "pending" and listed[0]["send_count"] == 1
    pumper = await service.invite_and_accept(owner, "pumper")
    mine = await _invite(service, owner, "next@example.com")
    forbidden = await service.client.delete(f"/api/v1/invitations/{mine['id']}", headers=service.bearer(pumper))
    assert forbidden.status_code == 403


async def test_a_mail_server_that_refuses_leaves_the_invitation_marked_to_send_again(mailed):
    service, catcher = mailed
    catcher.refuse = True
    owner = await service.sign_up()
    made = await _invite(service, owner, "pat@example.com")
    assert made["delivery"] == "mail_failed" and made["token"] is None
    catcher.refuse = False
    resent = await service.client.post(f"/api/v1/invitations/{made['id']}/resend", headers=service.bearer(owner))
    assert resent.json()["delivery"] == "mailed"
    assert isinstance(await catcher.wait_for("pat@example.com"), object)
    assert len(catcher.to("pat@example.com")) == 1
    assert MailCatcher.link(catcher.to("pat@example.com")[0]).startswith("https://wellflow.test/#/accept?token=wfi_")
