"""The demo loader's calls: a failure names the step, the status and the service's detail; the gateway's rate
limit is waited out; polling gives up with the last answer once its deadline passes."""

from __future__ import annotations

import httpx
import pytest

from wellflow_devstack.demo import load
from wellflow_devstack.demo_client import Api, DemoError


def _api(handler) -> Api:
    return Api(httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://gateway"))


async def test_a_refused_step_names_itself_the_status_and_the_problem_detail():
    def handler(request: httpx.Request) -> httpx.Response:
        problem = {"detail": "Tank 42 is not known.", "errors": [{"field": "body.tank_id", "message": "unknown"}]}
        return httpx.Response(422, json=problem)

    with pytest.raises(DemoError) as failure:
        await _api(handler).call("gauge tank A-1", "POST", "/api/v1/tank-gauges", json={})
    message = str(failure.value)
    assert message.startswith("gauge tank A-1: POST /api/v1/tank-gauges answered 422")
    assert "Tank 42 is not known." in message and "body.tank_id: unknown" in message


async def test_the_gateways_rate_limit_is_waited_out_and_the_request_sent_again():
    answers = iter([httpx.Response(429, headers={"retry-after": "0.1"}), httpx.Response(201, json={"id": "x"})])
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return next(answers)

    api = _api(handler)
    api.token = "t0ken"
    assert await api.json("record a ticket", "POST", "/api/v1/run-tickets", json={}) == {"id": "x"}
    assert seen == ["Bearer t0ken", "Bearer t0ken"]


async def test_polling_stops_when_ready_and_gives_up_after_its_deadline():
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(200 if calls >= 3 else 404, json={"detail": f"not yet ({calls})"})

    api = _api(handler)
    ready = await api.until(
        "wait for the well",
        lambda: api.call("ask", "GET", "/api/v1/production/wells/1/monthly", expect=(200, 404)),
        lambda r: r.status_code == 200,
    )
    assert ready.status_code == 200 and calls == 3

    never = _api(lambda request: httpx.Response(404, json={"detail": "no lease"}))
    with pytest.raises(DemoError, match=r"wait for the lease: still not ready after 0 s \(last answer 404: never"):
        await never.until(
            "wait for the lease",
            lambda: never.call("ask", "GET", "/x", expect=(404,)),
            lambda r: False,
            timeout=0.2,
            describe=lambda r: "never",
        )


async def test_up_without_a_gateway_loads_nothing_and_says_why():
    lines = await load({"identity": "http://127.0.0.1:1"})
    assert len(lines) == 1 and "gateway, which is not installed" in lines[0]
