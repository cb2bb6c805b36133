"""The stand-in for the Texas RRC filing portal: a small HTTP service that files Form PR reports.

The RRC has no public API for Form PR (operators file on RRC Online or by EDI upload), so WellFlow talks to
this stand-in in development, tests and demos. It behaves like a careful portal: it validates the report
(`validation.py`), answers a confirmation number, files each submission key at most once, and fails on
command (`faults.py`).

Endpoints:

- `POST /filings` with header `Submission-Key` and a Form PR as JSON: 201 with the confirmation on the first
  filing of a key, 200 with the same confirmation for the same key and the same report, 409 for the same
  key with a different report, 422 with `reasons` when the report is rejected, 400 without a key or JSON;
  503/500/429/504 or no answer as the fault switches say.
- `GET /filings/{confirmation_number}`: a filing the portal accepted.
- `GET|POST /admin/faults`, `POST /admin/reset`, `GET /admin/calls`, `GET /admin/filings`: for tests and demos.
- `GET /health/live`, `GET /health/ready`: always 200 (fault switches never affect them).

Settings (environment): `RRC_PORTAL_DATA_DIR` (folder for the filings file; default `$WELLFLOW_HOME/rrc-portal`
when WELLFLOW_HOME is set, else memory only), `RRC_PORTAL_SEED` (random seed of the fault rates) and every
fault switch as `RRC_PORTAL_<SWITCH>` (e.g. `RRC_PORTAL_LATENCY_SECONDS=0.5`).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.requests import ClientDisconnect

from .faults import Faults, FaultState
from .store import FilingStore, body_digest
from .validation import validate_form_pr

KEY_HEADER = "Submission-Key"
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,200}$")
PROBLEM = "application/problem+json"


def _problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"type": f"https://rrc-portal.example/problems/{title.lower().replace(' ', '-')}", "title": title}
    body.update({"status": status, "detail": detail, **extra})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM)


def _data_dir(explicit: Path | str | None) -> Path | None:
    if explicit is not None:
        return Path(explicit)
    if os.environ.get("RRC_PORTAL_DATA_DIR"):
        return Path(os.environ["RRC_PORTAL_DATA_DIR"])
    if os.environ.get("WELLFLOW_HOME"):
        return Path(os.environ["WELLFLOW_HOME"]) / "rrc-portal"
    return None


def create_app(*, data_dir: Path | str | None = None, faults: Faults | None = None, seed: int | None = None) -> FastAPI:
    """Build the stand-in; arguments override the environment (tests pass them)."""
    if seed is None and os.environ.get("RRC_PORTAL_SEED"):
        seed = int(os.environ["RRC_PORTAL_SEED"])
    state = FaultState(faults if faults is not None else Faults.from_environment(), seed=seed)
    store = FilingStore(_data_dir(data_dir))
    app = FastAPI(title="RRC portal stand-in", version="0.1.0", description=__doc__)
    app.state.faults = state
    app.state.store = store

    @app.post("/filings", status_code=201)
    async def file_report(request: Request) -> JSONResponse:
        """File a Form PR once per submission key."""
        state.calls += 1
        faults = state.faults
        try:
            raw = await request.body()  # received in full before any work, as a real server would
        except ClientDisconnect:
            state.count("disconnected")
            return _problem(400, "Bad Request", "The client went away before the report arrived.")
        if faults.outage:
            state.count("outage")
            return _problem(
                503,
                "Service Unavailable",
                "The filing portal is down for maintenance.",
                headers={"Retry-After": str(faults.retry_after_seconds)},
            )
        if faults.latency_seconds:
            await asyncio.sleep(faults.latency_seconds)
        if state.roll(faults.hang_rate):
            state.count("hang")
            await asyncio.sleep(faults.hang_seconds)
            return _problem(504, "Gateway Timeout", "The filing portal did not answer in time.")
        if state.roll(faults.rate_limit_rate):
            state.count("rate_limited")
            return _problem(
                429,
                "Too Many Requests",
                "Too many filings; wait before trying again.",
                headers={"Retry-After": str(faults.retry_after_seconds)},
            )
        if state.roll(faults.error_rate):
            state.count("error")
            return _problem(500, "Internal Server Error", "The filing portal failed to process the request.")

        key = request.headers.get(KEY_HEADER, "")
        if not _KEY.match(key):
            state.count("bad_request")
            return _problem(400, "Bad Request", f"The {KEY_HEADER} header must be 8 to 200 letters, digits or . _ : -.")
        try:
            report = json.loads(raw)
        except ValueError:
            state.count("bad_request")
            return _problem(400, "Bad Request", "The body must be a Form PR as JSON.")
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
                return _problem(
                    422, "Report Rejected", "The report was not filed; correct it and file again.", reasons=reasons
                )
            filing = store.accept(key, report, digest)
        if state.roll(faults.lose_answer_rate):
            state.count("lost")
            await asyncio.sleep(faults.hang_seconds)
            return _problem(504, "Gateway Timeout", "The filing portal did not answer in time.")
        state.count("accepted")
        return JSONResponse(_receipt(filing, duplicate=False), status_code=201)

    @app.get("/filings/{confirmation_number}")
    async def get_filing(confirmation_number: str) -> JSONResponse:
        filing = store.by_confirmation(confirmation_number)
        if filing is None:
            return _problem(404, "Not Found", f"No filing has confirmation number {confirmation_number}.")
        return JSONResponse(_receipt(filing, duplicate=False))

    @app.get("/admin/faults")
    async def get_faults() -> dict[str, Any]:
        return state.faults.model_dump()

    @app.post("/admin/faults")
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

    @app.post("/admin/reset")
    async def reset(filings: bool = False) -> dict[str, Any]:
        """End every fault and zero the counters; `?filings=true` also forgets the accepted filings."""
        state.reset()
        if filings:
            async with store.lock:
                store.clear()
        return {"faults": state.faults.model_dump(), "filings": len(store.by_key)}

    @app.get("/admin/calls")
    async def calls() -> dict[str, Any]:
        """How many filing calls arrived, by what the portal did with them."""
        return {"total": state.calls, "outcomes": dict(state.outcomes)}

    @app.get("/admin/filings")
    async def filings() -> dict[str, Any]:
        items = [_receipt(f, duplicate=False) for f in store.by_key.values()]
        return {"count": len(items), "items": items}

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/health/ready")
    async def ready() -> dict[str, Any]:
        return {"status": "ready", "filings": len(store.by_key), "persistent": store.path is not None}

    return app


def _receipt(filing: Any, *, duplicate: bool) -> dict[str, Any]:
    return {
        "confirmation_number": filing.confirmation_number,
        "submission_key": filing.submission_key,
        "operator_number": filing.operator_number,
        "period": filing.period,
        "accepted_at": filing.accepted_at,
        "lines": filing.lines,
        "duplicate": duplicate,
    }
