"""The proxied path's one layer (`front.py`): what servicekit's three layers did, and the access line."""

from __future__ import annotations

import json
import logging

import pytest
from prometheus_client import generate_latest

from wellflow_gateway.front import ProxiedRequests, incoming_request_id
from wellflow_servicekit.context import request_id_var, tenant_id_var
from wellflow_servicekit.metrics import Metrics


def scope(*headers: tuple[bytes, bytes]) -> dict:
    return {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/wells/1",
        "raw_path": b"/api/v1/wells/1",
        "query_string": b"a=1",
        "headers": list(headers),
        "client": ("10.0.0.9", 5000),
        "http_version": "1.1",
    }


async def receive() -> dict:
    return {"type": "http.request", "body": b"", "more_body": False}


def answering(status: int, *, fail: Exception | None = None, headers: list | None = None):
    seen: dict = {}

    async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        seen["request_id"] = request_id_var.get()
        seen["tenant"] = tenant_id_var.get()
        scope["route"] = type("Label", (), {"path_format": "/api/v1/wells/..."})()
        if fail is not None:
            raise fail
        await send({"type": "http.response.start", "status": status, "headers": list(headers or [])})
        await send({"type": "http.response.body", "body": b"{}", "more_body": False})

    return app, seen


def test_a_sane_request_id_is_kept_and_any_other_replaced():
    assert incoming_request_id(scope((b"x-request-id", b"abc-123"))) == "abc-123"
    assert incoming_request_id(scope((b"x-request-id", b"bad id\n"))) != "bad id\n"
    assert len(incoming_request_id(scope())) == 36


async def test_the_answer_carries_the_request_id_and_the_histogram_the_route_prefix():
    metrics = Metrics()
    app, seen = answering(200)
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    request = scope((b"x-request-id", b"req-7"))
    tenant_id_var.set("left over")  # type: ignore[arg-type]
    await ProxiedRequests(app, metrics)(request, receive, send)
    assert seen == {"request_id": "req-7", "tenant": None}
    assert request["state"]["request_id"] == "req-7"
    assert (b"x-request-id", b"req-7") in sent[0]["headers"]
    exposition = generate_latest(metrics.registry).decode()
    assert 'route="/api/v1/wells/..."' in exposition and 'status="200"' in exposition


async def test_an_upstreams_own_request_id_header_is_not_doubled():
    app, _ = answering(200, headers=[(b"X-Request-ID", b"req-7")])
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    await ProxiedRequests(app, Metrics())(scope((b"x-request-id", b"req-7")), receive, send)
    assert [name for name, _ in sent[0]["headers"]] == [b"X-Request-ID"]


async def test_an_unhandled_error_answers_a_500_problem_and_a_started_answer_is_cut(caplog):
    app, _ = answering(200, fail=RuntimeError("boom"))
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    with caplog.at_level(logging.ERROR):
        await ProxiedRequests(app, Metrics())(scope(), receive, send)
    assert sent[0]["status"] == 500
    body = json.loads(sent[1]["body"])
    assert body["status"] == 500 and body["request_id"]
    assert "unhandled error in GET /api/v1/wells/1" in caplog.text

    async def breaks_after_start(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("broke off")

    with pytest.raises(RuntimeError):
        await ProxiedRequests(breaks_after_start, Metrics())(scope(), receive, send)


@pytest.mark.parametrize(("status", "logged"), [(200, False), (404, True), (502, True)])
async def test_an_access_line_for_each_answer_of_400_or_more(caplog, status: int, logged: bool):
    app, _ = answering(status)

    async def send(message: dict) -> None:
        pass

    with caplog.at_level(logging.INFO, logger="wellflow_gateway.access"):
        await ProxiedRequests(app, Metrics())(scope(), receive, send)
    lines = [record.getMessage() for record in caplog.records if record.name == "wellflow_gateway.access"]
    assert lines == ([f'10.0.0.9:5000 - "GET /api/v1/wells/1?a=1 HTTP/1.1" {status}'] if logged else [])

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="wellflow_gateway.access"):
        await ProxiedRequests(app, Metrics(), access_log_problems=False)(scope(), receive, send)
    assert not [record for record in caplog.records if record.name == "wellflow_gateway.access"]
