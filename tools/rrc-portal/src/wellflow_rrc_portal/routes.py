"""The stand-in's endpoints (see app.py's docstring): filing, the admin switches, health."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.requests import ClientDisconnect

from .faults import FaultState
from .store import NOTICE, FilingStore, body_digest
from .validation import validate_form_pr

KEY_HEADER = "Submission-Key"
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,200}$")
PROBLEM = "application/problem+json"


def _problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"type": f"https://rrc-portal.example/problems/{title.lower().replace(' ', '-')}", "title": title}
    body.update({"status": status, "detail": detail, **extra})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM)


def _timeout() -> JSONResponse:
    return _problem(504, "Gateway Timeout", "The filing portal did not answer in time.")


async def _injected_fault(state: FaultState) -> JSONResponse | None:
    """What the fault switches make of a filing call before the portal looks at it (None: no fault)."""
    faults = state.faults
    if faults.outage:
        state.count("outage")
        retry = {"Retry-After": str(faults.retry_after_seconds)}
        return _problem(503, "Service Unavailable", "The filing portal is down for maintenance.", headers=retry)
    if faults.latency_seconds:
        await asyncio.sleep(faults.latency_seconds)
    if state.roll(faults.hang_rate):
        state.count("hang")
        await asyncio.sleep(faults.hang_seconds)
        return _timeout()
    if state.roll(faults.rate_limit_rate):
        state.count("rate_limited")
        retry = {"Retry-After": str(faults.retry_after_seconds)}
        return _problem(429, "Too Many Requests", "Too many filings; wait before trying again.", headers=retry)
    if state.roll(faults.error_rate):
        state.count("error")
        return _problem(500, "Internal Server Error", "The filing portal failed to process the request.")
    return None


def _parsed(state: FaultState, key: str, raw: bytes) -> Any | JSONResponse:
    """The report as JSON, or the 400 for a bad key or body."""
    if not _KEY.match(key):
        state.count("bad_request")
        return _problem(400, "Bad Request", f"The {KEY_HEADER} header must be 8 to 200 letters, digits or . _ : -.")
    try:
        return json.loads(raw)
    except ValueError:
        state.count("bad_request")
        return _problem(400, "Bad Request", "The body must be a Form PR as JSON.")


async def _file_once(state: FaultState, store: FilingStore, key: str, report: Any) -> JSONResponse:
    """File ``report`` under ``key`` at most once: a repeat answers the same receipt, a different report 409."""
    digest = body_digest(report)
    async with store.lock:
        existing = store.get(key)
        if existing is not None:
            if existing.body_sha256 != digest:
                state.count("conflict")
                return _problem(
                    409,
                    "Conflict",
                    "This submission key already filed a different report; a changed report needs a new key.",
                    confirmation_number=existing.confirmation_number,
                )
            state.count("duplicate")
            return JSONResponse(_receipt(existing, duplicate=True), status_code=200)
        reasons = validate_form_pr(report)
        if reasons:
            state.count("rejected")
            detail = "The report was not filed; correct it and file again."
            return _problem(422, "Report Rejected", detail, reasons=reasons)
        filing = store.accept(key, report, digest)
    if state.roll(state.faults.lose_answer_rate):
        state.count("lost")
        await asyncio.sleep(state.faults.hang_seconds)
        return _timeout()
    state.count("accepted")
    return JSONResponse(_receipt(filing, duplicate=False), status_code=201)


def filing_routes(state: FaultState, store: FilingStore) -> APIRouter:
    router = APIRouter()

    @router.post("/filings", status_code=201)
    async def file_report(request: Request) -> JSONResponse:
        """File a Form PR once per submission key."""
        state.calls += 1
        try:
            raw = await request.body()  # received in full before any work, as a real server would
        except ClientDisconnect:
            state.count("disconnected")
            return _problem(400, "Bad Request", "The client went away before the report arrived.")
        fault = await _injected_fault(state)
        if fault is not None:
            return fault
        report = _parsed(state, request.headers.get(KEY_HEADER, ""), raw)
        if isinstance(report, JSONResponse):
            return report
        return await _file_once(state, store, request.headers[KEY_HEADER], report)

    @router.get("/filings/{confirmation_number}")
    async def get_filing(confirmation_number: str) -> JSONResponse:
        filing = store.by_confirmation(confirmation_number)
        if filing is None:
            return _problem(404, "Not Found", f"No filing has confirmation number {confirmation_number}.")
        return JSONResponse(_receipt(filing, duplicate=False))

    return router


def admin_routes(state: FaultState, store: FilingStore) -> APIRouter:
    router = APIRouter(prefix="/admin")

    @router.get("/faults")
    async def get_faults() -> dict[str, Any]:
        return state.faults.model_dump()

    @router.post("/faults")
    async def set_faults(request: Request) -> JSONResponse:
        """Change any subset of the switches; `{}` changes nothing and shows them."""
        try:
            changes = json.loads(await request.body() or b"{}")
            if not isinstance(changes, dict):
                raise ValueError("not an object")
            return JSONResponse(state.update(changes).model_dump())
        except ValidationError as exc:
            errors = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
            return _problem(422, "Invalid Switches", "Some fault switches are not valid.", errors=errors)
        except ValueError:
            return _problem(400, "Bad Request", "The body must be a JSON object of fault switches.")

    @router.post("/reset")
    async def reset(filings: bool = False) -> dict[str, Any]:
        """End every fault and zero the counters; `?filings=true` also forgets the accepted filings."""
        state.reset()
        if filings:
            async with store.lock:
                store.clear()
        return {"faults": state.faults.model_dump(), "filings": len(store.by_key)}

    @router.get("/calls")
    async def calls() -> dict[str, Any]:
        """How many filing calls arrived, by what the portal did with them."""
        return {"total": state.calls, "outcomes": dict(state.outcomes)}

    @router.get("/filings")
    async def filings() -> dict[str, Any]:
        items = [_receipt(f, duplicate=False) for f in store.by_key.values()]
        return {"count": len(items), "items": items}

    return router


def health_routes(store: FilingStore) -> APIRouter:
    router = APIRouter(prefix="/health")

    @router.get("/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/ready")
    async def ready() -> dict[str, Any]:
        return {"status": "ready", "filings": len(store.by_key), "persistent": store.path is not None}

    return router


def _receipt(filing: Any, *, duplicate: bool) -> dict[str, Any]:
    return {
        "stand_in": True,
        "notice": NOTICE,
        "confirmation_number": filing.confirmation_number,
        "submission_key": filing.submission_key,
        "operator_number": filing.operator_number,
        "period": filing.period,
        "accepted_at": filing.accepted_at,
        "lines": filing.lines,
        "duplicate": duplicate,
    }
