"""Sign-in abuse (issue 19, item 5): parallel guesses cannot pass the limits, the answers never reveal whether an
email is registered, and a saturated password hasher answers 503 instead of queueing without end."""

from __future__ import annotations

import asyncio
import threading

from wellflow_identity.adapters.passwords import Argon2Passwords

WRONG = "wrong password guess"
VOLATILE_HEADERS = {"x-request-id", "date", "traceparent"}


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}  # what the gateway appends (SIGN_IN_PROXY_HOPS=1)


async def test_parallel_guesses_beyond_the_limit_are_refused(service):
    owner = await service.sign_up()
    body = {"email": owner["email"], "password": WRONG}
    answers = await asyncio.gather(
        *(service.client.post("/api/v1/auth/signin", json=body, headers=_from("203.0.113.5")) for _ in range(20))
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [401] * 5 + [429] * 15, statuses  # 5 free attempts, then a wait: never 20 password checks


def _comparable(response) -> tuple[int, dict, dict]:
    body = {k: v for k, v in response.json().items() if k not in ("request_id",)}
    headers = {k: v for k, v in response.headers.items() if k.lower() not in VOLATILE_HEADERS}
    return response.status_code, body, headers


async def test_a_known_and_an_unknown_email_get_the_same_answers(service):
    owner = await service.sign_up()
    seen = {}
    for email, address in [(owner["email"], "198.51.100.10"), ("nobody-here@example.com", "198.51.100.11")]:
        answers = []
        for _ in range(6):
            response = await service.client.post(
                "/api/v1/auth/signin", json={"email": email, "password": WRONG}, headers=_from(address)
            )
            answers.append(_comparable(response))
        seen[email] = answers
    known, unknown = seen[owner["email"]], seen["nobody-here@example.com"]
    assert [a[0] for a in known] == [401] * 5 + [429]
    assert known == unknown


async def test_a_guesser_does_not_lock_the_owner_out_from_elsewhere(service):
    owner = await service.sign_up()
    for _ in range(10):
        await service.client.post(
            "/api/v1/auth/signin", json={"email": owner["email"], "password": WRONG}, headers=_from("203.0.113.7")
        )
        service.clock.advance(60)
    guesser = await service.client.post(
        "/api/v1/auth/signin",
        json={"email": owner["email"], "password": service.password},
        headers=_from("203.0.113.7"),
    )
    assert guesser.status_code == 429
    office = await service.client.post(
        "/api/v1/auth/signin",
        json={"email": owner["email"], "password": service.password},
        headers=_from("198.51.100.20"),
    )
    assert office.status_code == 200, office.text


async def test_a_full_hashing_queue_answers_503_with_retry_after(service):
    owner = await service.sign_up()
    passwords: Argon2Passwords = service.identity.passwords
    release = threading.Event()
    holders = [asyncio.create_task(passwords._off_loop(release.wait, 10)) for _ in range(passwords.capacity)]
    await asyncio.sleep(0.05)
    try:
        busy = await service.sign_in(owner["email"])
        assert busy.status_code == 503, busy.text
        assert busy.headers["retry-after"] == "1"
    finally:
        release.set()
        await asyncio.gather(*holders)
    assert (await service.sign_in(owner["email"])).status_code == 200  # the refused attempt was not counted
