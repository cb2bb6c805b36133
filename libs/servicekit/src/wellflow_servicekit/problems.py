"""RFC 9457 problem details: the only shape an error takes on the wire.

Use cases and routes raise a `Problem` (or one of the subclasses below) and `install_problem_handlers`
turns it, FastAPI's validation errors, Starlette's HTTP errors (unknown route, wrong method, body too
large) and any unexpected exception into `application/problem+json`. Every body carries `instance` (the
request path) and `request_id`, so a user can quote one line to support and we can find the logs.

`type` is a stable URI per kind of problem (`https://wellflow.dev/problems/<slug>`): clients branch on it,
never on `title` or `detail`, which are for people. A use case with its own rule picks its own slug:

    raise Conflict("Well 42-123-45678 is plugged", slug="well-status-transition", allowed=["active"])

A 500 never carries the exception text (it may hold SQL, ids of other tenants or secrets): the traceback
goes to the log with the request id, the client gets a generic sentence and that same id.
"""

from __future__ import annotations

import http.client
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import trace
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wellflow_servicekit.context import request_id_var
from wellflow_servicekit.errors import (  # re-exported: the problems are raised by importers of this module
    PROBLEM_CONTENT_TYPE as PROBLEM_CONTENT_TYPE,
)
from wellflow_servicekit.errors import (
    PROBLEM_TYPE_BASE as PROBLEM_TYPE_BASE,
)
from wellflow_servicekit.errors import (
    BadRequest as BadRequest,
)
from wellflow_servicekit.errors import (
    Conflict as Conflict,
)
from wellflow_servicekit.errors import (
    FieldError as FieldError,
)
from wellflow_servicekit.errors import (
    Forbidden as Forbidden,
)
from wellflow_servicekit.errors import (
    InternalError as InternalError,
)
from wellflow_servicekit.errors import (
    NotFound as NotFound,
)
from wellflow_servicekit.errors import (
    Problem as Problem,
)
from wellflow_servicekit.errors import (
    ServiceUnavailable as ServiceUnavailable,
)
from wellflow_servicekit.errors import (
    TooManyRequests as TooManyRequests,
)
from wellflow_servicekit.errors import (
    Unauthorized as Unauthorized,
)
from wellflow_servicekit.errors import (
    UnprocessableContent as UnprocessableContent,
)
from wellflow_servicekit.errors import (
    problem_type as problem_type,
)

logger = logging.getLogger(__name__)


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None) or request_id_var.get()


def problem_response(request: Request, problem: Problem) -> JSONResponse:
    """Render a problem for this request (used by the handlers and by endpoints answering directly)."""
    body = problem.to_body(instance=request.url.path, request_id=_request_id(request))
    headers = dict(problem.headers)
    request_id = body["request_id"]
    if request_id:
        headers.setdefault("X-Request-ID", request_id)
    return JSONResponse(body, status_code=problem.status, headers=headers, media_type=PROBLEM_CONTENT_TYPE)


def _field_path(loc: Sequence[str | int]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def validation_errors(exc: RequestValidationError) -> list[FieldError]:
    """FastAPI's errors as `{field, message}`, without echoing the submitted values (they may be secrets)."""
    result: list[FieldError] = []
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error")
            message = f"Invalid JSON: {reason}" if reason else "Invalid JSON"
            result.append(FieldError(field=str(loc[0]) if loc else "body", message=message))
            continue
        result.append(FieldError(field=_field_path(loc), message=str(error.get("msg", "is invalid"))))
    return result


async def _handle_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    if exc.status >= 500:
        logger.warning("answered %s %s with %s: %s", request.method, request.url.path, exc.status, exc.detail)
    return problem_response(request, exc)


async def _handle_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = validation_errors(exc)
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    if len(errors) > 5:
        summary += f"; and {len(errors) - 5} more"
    problem = Problem(
        f"The request is invalid: {summary}" if summary else "The request is invalid.",
        status=422,
        slug="validation-error",
        title="Request validation failed",
        errors=errors,
    )
    return problem_response(request, problem)


async def _handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code if 400 <= exc.status_code <= 599 else 500
    headers = dict(exc.headers or {})
    # Starlette fills an absent detail with the stdlib reason phrase: that is no detail at all.
    default_detail = http.client.responses.get(exc.status_code, "")
    extensions: dict[str, Any] = {}
    detail: str | None
    if isinstance(exc.detail, str) and exc.detail and exc.detail != default_detail:
        detail = exc.detail
    elif not isinstance(exc.detail, str) and exc.detail is not None:
        detail = None
        extensions["context"] = exc.detail
    elif status == 404:
        detail = f"There is nothing at {request.url.path}."
    elif status == 405:
        allowed = headers.get("Allow") or headers.get("allow")
        detail = f"{request.method} is not allowed here" + (f"; use {allowed}." if allowed else ".")
    else:
        detail = None
    problem = Problem(detail, status=status, headers=headers, **extensions)
    return problem_response(request, problem)


class UnhandledErrorMiddleware:
    """Turns an exception nothing else handled into a 500 problem, inside the request's middleware.

    Starlette's own last-resort handler sits outside every user middleware and re-raises after
    answering, so request ids, metrics and spans would miss the failure. This one answers from inside:
    the request-id header is set, the latency histogram records a 500, and the traceback is logged once.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def send_tracking(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception as exc:
            await answer_unhandled(exc, scope, receive, send, response_started=response_started)


async def answer_unhandled(
    exc: Exception, scope: Scope, receive: Receive, send: Send, *, response_started: bool
) -> None:
    """What `UnhandledErrorMiddleware` (and http's `RequestMiddleware`) do with an exception nothing handled: a
    422 for text PostgreSQL cannot store, else the traceback logged once, the span marked, and a 500 problem
    (re-raised if the response has already started: nothing can be answered then)."""
    if _unstorable_text(exc) and not response_started:
        await problem_response(Request(scope), unstorable_text_problem())(scope, receive, send)
        return
    logger.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
    span = trace.get_current_span()
    span.record_exception(exc)
    span.set_status(trace.Status(trace.StatusCode.ERROR, type(exc).__name__))
    if response_started:
        raise exc
    request = Request(scope)
    problem = InternalError(
        "An unexpected error occurred on our side. It has been logged; quote the request_id if you report it."
    )
    await problem_response(request, problem)(scope, receive, send)


# PostgreSQL refuses text it cannot store: the NUL character (22021) or a character outside the encoding (22P05).
# Nothing was written (the unit of work rolled back), so the client's input is what is wrong: 422, not 500.
UNSTORABLE_TEXT_STATES = frozenset({"22021", "22P05"})


def _unstorable_text(exc: BaseException) -> bool:
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if getattr(current, "sqlstate", None) in UNSTORABLE_TEXT_STATES:
            return True
        pending.extend([getattr(current, "orig", None), current.__cause__, current.__context__])
    return False


def unstorable_text_problem() -> Problem:
    return Problem(
        "The request contains text that cannot be stored: the NUL character (\\u0000) or a character outside UTF-8 "
        "is not allowed in any field.",
        status=422,
        slug="validation-error",
        title="Request validation failed",
        errors=[FieldError(field="body", message="text must not contain the NUL character")],
    )


def install_problem_handlers(app: FastAPI, *, unhandled_middleware: bool = True) -> None:
    """Make every error of `app` answer `application/problem+json`. Call before the app first serves.

    ``unhandled_middleware=False`` when the app's own middleware answers unhandled errors with
    `answer_unhandled` (servicekit's `create_app` does, in its one `RequestMiddleware`)."""
    app.add_exception_handler(Problem, _handle_problem)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http_exception)
    if unhandled_middleware:
        app.add_middleware(UnhandledErrorMiddleware)
