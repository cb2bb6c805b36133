"""Identity behind the gateway (see conftest.py for the running system): what a client sees."""

from __future__ import annotations

import base64
import json
from uuid import uuid4

PASSWORD = "correct horse battery staple"


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_an_operator_signs_up_invites_a_pumper_and_roles_hold_through_the_gateway(gateway, sign_up):
    owner = await sign_up("Permian Pumping")
    me = await gateway.get("/api/v1/me", headers=_bearer(owner["access_token"]))
    assert me.status_code == 200, me.text
    assert me.headers["x-request-id"]

    invite = await gateway.post(
        "/api/v1/invitations",
        headers=_bearer(owner["access_token"]),
        json={"email": "pumper@permianpumping.com", "role": "pumper"},
    )
    assert invite.status_code == 201, invite.text
    accepted = await gateway.post(
        "/api/v1/invitations/accept",
        json={"token": invite.json()["token"], "password": PASSWORD, "full_name": "Lee Pumper"},
    )
    assert accepted.status_code in (200, 201), accepted.text
    pumper = await gateway.post(
        "/api/v1/auth/signin", json={"email": "pumper@permianpumping.com", "password": PASSWORD}
    )
    assert pumper.status_code == 200
    assert pumper.json()["role"] == "pumper"
    forbidden = await gateway.post(
        "/api/v1/invitations",
        headers=_bearer(pumper.json()["access_token"]),
        json={"email": "someone@permianpumping.com", "role": "owner"},
    )
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"].startswith("application/problem+json")


async def test_one_operator_cannot_see_another_operators_member_by_id(gateway, sign_up):
    first = await sign_up("Alpha Oil")
    second = await sign_up("Bravo Gas")
    second_me = (await gateway.get("/api/v1/me", headers=_bearer(second["access_token"]))).json()
    second_user_id = second_me.get("user_id") or second_me["user"]["id"]
    response = await gateway.get(f"/api/v1/members/{second_user_id}", headers=_bearer(first["access_token"]))
    assert response.status_code == 404
    assert second_me != (await gateway.get("/api/v1/me", headers=_bearer(first["access_token"]))).json()


async def test_a_tampered_token_is_refused_at_the_gateway(gateway, sign_up):
    owner = await sign_up("Charlie Energy")
    header, payload, signature = owner["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "owner"
    claims["org"] = str(uuid4())
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    response = await gateway.get("/api/v1/me", headers=_bearer(f"{header}.{forged}.{signature}"))
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_bad_sign_up_input_names_the_field_and_writes_nothing(gateway, sign_up):
    response = await gateway.post(
        "/api/v1/auth/signup",
        json={
            "organization": {"name": "Delta Wells"},
            "user": {"email": "owner@deltawells.com", "password": "short", "full_name": "D"},
        },
    )
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert "body.user.password" in fields
    signin = await gateway.post("/api/v1/auth/signin", json={"email": "owner@deltawells.com", "password": "short"})
    assert signin.status_code == 401


async def test_an_api_key_works_as_a_bearer_credential_through_the_gateway(gateway, sign_up):
    owner = await sign_up("Echo Resources")
    created = await gateway.post(
        "/api/v1/api-keys", headers=_bearer(owner["access_token"]), json={"name": "scada feed", "role": "pumper"}
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    me = await gateway.get("/api/v1/me", headers=_bearer(key))
    assert me.status_code == 200, me.text
    assert "api_key" in me.text
