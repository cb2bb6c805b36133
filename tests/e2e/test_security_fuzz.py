"""schemathesis against the gateway's merged OpenAPI document, as an authenticated owner over real HTTP:
no operation answers 5xx and no documented answer breaks its schema.

Checks, and why these:
- ``not_a_server_error``: any 5xx is a bug, whatever the input.
- ``response_schema_conformance``: an answer with a documented status must match its documented schema
  (a 200 that drops a field or changes a type breaks every generated client).
- not ``status_code_conformance``: the services document 200/201/422 only, while 401, 403, 404, 409 and
  429 problem answers are part of the contract (docs/platform.md); it would flag every correct refusal.
- not ``content_type_conformance``: refusals are ``application/problem+json`` (RFC 9457) where FastAPI
  documents ``application/json`` for 422, which is the same documentation gap.

Inputs come in both modes: valid ones (``positive``: must not crash) and invalid ones (``negative``:
must be refused with a 4xx, never a 5xx). Generation is derandomized: a run over the same document
repeats exactly (a document that gains operations or schemas may draw other cases).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any

import schemathesis
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from pydantic import BaseModel
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from security_checks import bearer, merged_document

from wellflow_devstack.servers import free_port

MAX_EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
# NUL characters stay in the generated strings: PostgreSQL text cannot hold them, and every service must answer
# 422 (servicekit turns PostgreSQL's refusal into a problem), never 500.
CONFIG = schemathesis.Config.from_dict({"generation": {"allow-x00": True}})

# Known bugs in services, each with a reason, while they are being fixed: (operation, failed check) -> reason.
# Empty: the ones found so far are fixed and pinned by test_security_known_bugs.py.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Finding:
    operation: str
    mode: str
    check: str
    failure: str
    request: str
    status: int | None


class _Run:
    """Counts calls and keeps one finding per (operation, mode, failed check) across a fuzz run."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        self.base_url, self.headers = base_url, headers
        self.calls = 0
        self.statuses: Counter[int] = Counter()
        self.findings: dict[tuple[str, str, str], Finding] = {}

    def test_for(self, operation: Any, mode: schemathesis.GenerationMode) -> Any:
        label = f"{operation.method.upper()} {operation.path}"

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            response = case.call(base_url=self.base_url, headers=self.headers, timeout=15)
            self.calls += 1
            self.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=self.headers)
            except (AssertionError, BaseExceptionGroup) as raised:
                # schemathesis raises one Failure, or a FailureGroup of them, per failed check.
                failures = raised.exceptions if isinstance(raised, BaseExceptionGroup) else (raised,)
                for failure in failures:
                    title = str(getattr(failure, "title", "") or failure).splitlines()[0][:200]
                    self.findings.setdefault(
                        (label, mode.value, title),
                        Finding(
                            label,
                            mode.value,
                            title,
                            f"{title}: {str(failure)[:1200]}",
                            case.as_curl_command(headers=self.headers, base_url=self.base_url)[:1500],
                            response.status_code,
                        ),
                    )

        return run


def _fuzz(document: dict, base_url: str, token: str) -> tuple[int, _Run]:
    """Run every operation of ``document`` from this thread (not the event loop serving the system);
    returns the number of operations and the run (calls, statuses, findings). Findings are collected, not
    raised, so one bug does not hide the rest and hypothesis does not spend the time budget shrinking."""
    schema = schemathesis.openapi.from_dict(document, config=CONFIG)
    run = _Run(base_url, bearer(token))
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        count += 1
        for mode in MODES:
            try:
                run.test_for(operation, mode)()
            except Unsatisfiable:
                continue  # negative mode on an operation with no input to break (GET /me)
    return count, run


async def test_no_operation_answers_a_server_error_or_breaks_its_schema(gateway, sign_up):
    document = await merged_document(gateway)
    owner = await sign_up("Alpha Oil")
    operations, run = await asyncio.to_thread(_fuzz, document, str(gateway.base_url).rstrip("/"), owner["access_token"])
    findings = list(run.findings.values())
    print(f"\nschemathesis: {operations} operations, {run.calls} calls, statuses {dict(sorted(run.statuses.items()))}")
    # The owner's token must have been used: most answers are not 401.
    assert run.statuses[401] < run.calls / 4, run.statuses
    unexpected = [f for f in findings if (f.operation, f.check) not in KNOWN_FAILURES]
    for finding in findings:
        print(f"- {finding.operation} [{finding.mode}] -> {finding.status}\n{finding.failure}\n{finding.request}\n")
    assert operations >= 40, operations  # identity and wells serve 46 operations today
    assert not unexpected, "\n".join(f"{f.operation} [{f.mode}] {f.status}: {f.failure[:300]}" for f in unexpected)


def _broken_app() -> FastAPI:
    app = FastAPI()

    class Reading(BaseModel):
        oil_bbl: float

    @app.get("/readings/{day}", response_model=Reading)
    async def reading(day: int) -> Any:
        if day > 3:
            raise RuntimeError("no such day")  # a 5xx for some valid input
        return JSONResponse({"oil_bbl": "a lot"})  # breaks the documented schema

    @app.get("/healthy", response_model=Reading)
    async def healthy() -> Any:
        return {"oil_bbl": 12.5}

    return app


async def test_the_fuzzer_reports_server_errors_and_answers_that_break_their_schema():
    """The harness above must fail on a broken app (a fuzz run that cannot fail proves nothing)."""
    app = _broken_app()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        _, run = await asyncio.to_thread(_fuzz, app.openapi(), f"http://127.0.0.1:{port}", "token")
    finally:
        server.should_exit = True
        await task
    findings = list(run.findings.values())
    failures = " ".join(f.failure for f in findings if f.operation == "GET /readings/{day}")
    assert "Server error" in failures
    assert "Response violates schema" in failures
    assert not [f for f in findings if f.operation == "GET /healthy"]
