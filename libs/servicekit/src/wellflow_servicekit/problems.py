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
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, TypedDict

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import trace
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wellflow_servicekit.context import request_id_var

PROBLEM_TYPE_BASE = "https://wellflow.dev/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"
_RESERVED_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "errors", "request_id"})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

logger = logging.getLogger(__name__)


class FieldError(TypedDict):
    """One offending input: `field` is a dotted path such as `body.readings[2].oil_bbl`."""

    field: str
    message: str


def problem_type(slug: str) -> str:
    """The stable type URI for a slug."""
    return PROBLEM_TYPE_BASE + slug


# Fixed here rather than derived from `http.HTTPStatus`, whose phrases change between Python versions
# (422 became "Unprocessable Content" in 3.13): a problem type must never change under a client.
_STATUS_PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    408: ("request-timeout", "Request timeout"),
    409: ("conflict", "Conflict"),
    410: ("gone", "Gone"),
    411: ("length-required", "Length required"),
    412: ("precondition-failed", "Precondition failed"),
    413: ("content-too-large", "Content too large"),
    414: ("uri-too-long", "URI too long"),
    415: ("unsupported-media-type", "Unsupported media type"),
    416: ("range-not-satisfiable", "Range not satisfiable"),
    422: ("unprocessable-content", "Unprocessable content"),
    428: ("precondition-required", "Precondition required"),
    429: ("too-many-requests", "Too many requests"),
    431: ("request-header-fields-too-large", "Request header fields too large"),
    500: ("internal-error", "Internal server error"),
    501: ("not-implemented", "Not implemented"),
    502: ("bad-gateway", "Bad gateway"),
    503: ("service-unavailable", "Service unavailable"),
    504: ("gateway-timeout", "Gateway timeout"),
}


def _status_slug(status: int) -> str:
    if status in _STATUS_PROBLEMS:
        return _STATUS_PROBLEMS[status][0]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "client-error" if status < 500 else "server-error"
    return re.sub(r"[^a-z0-9]+", "-", phrase.lower()).strip("-")


def _status_title(status: int) -> str:
    if status in _STATUS_PROBLEMS:
        return _STATUS_PROBLEMS[status][1]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Client error" if status < 500 else "Server error"


class Problem(Exception):
    """An error with an HTTP status, a stable type and a message a person can act on.

    Extra keyword arguments become extension members of the body (e.g. `allowed=[...]`); they must be
    JSON-serialisable and must not reuse the standard member names.
    """

    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        slug: str | None = None,
        title: str | None = None,
        errors: Sequence[FieldError] | None = None,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        if status is not None:
            if not 400 <= status <= 599:
                raise ValueError(f"a problem's status must be 4xx or 5xx, not {status}")
            self.status = status
            if slug is None and type(self) is Problem:
                slug = _status_slug(status)
            if title is None and type(self) is Problem:
                title = _status_title(status)
        if slug is not None:
            if not _SLUG.match(slug):
                raise ValueError(f"problem slug {slug!r} must be lowercase words joined by '-'")
            self.slug = slug
        if title is not None:
            self.title = title
        clash = _RESERVED_MEMBERS.intersection(extensions)
        if clash:
            raise ValueError(f"extension members may not reuse standard names: {sorted(clash)}")
        self.detail = detail
        self.errors: list[FieldError] = [FieldError(field=e["field"], message=e["message"]) for e in errors or ()]
        self.headers: dict[str, str] = dict(headers or {})
        self.extensions: dict[str, Any] = extensions
        super().__init__(detail or self.title)

    @property
    def type(self) -> str:
        return problem_type(self.slug)

    def to_body(self, *, instance: str | None, request_id: str | None) -> dict[str, Any]:
        """The JSON body; standard members first, extensions after."""
        body: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status}
        if self.detail is not None:
            body["detail"] = self.detail
        body["instance"] = instance
        body["request_id"] = request_id
        if self.errors:
            body["errors"] = list(self.errors)
        body.update(self.extensions)
        return body

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, slug={self.slug!r}, detail={self.detail!r})"


class BadRequest(Problem):
    """The request is understood but cannot be acted on as sent (a rule about the input, not its shape)."""

    status = 400
    slug = "bad-request"
    title = "Bad request"


class Unauthorized(Problem):
    """No usable credentials. `error` follows RFC 6750: leave it None when no token was sent at all."""

    status = 401
    slug = "unauthorized"
    title = "Authentication required"

    def __init__(self, detail: str | None = None, *, error: str | None = "invalid_token", **kwargs: Any) -> None:
        headers = dict(kwargs.pop("headers", None) or {})
        challenge = 'Bearer realm="wellflow"'
        if error is not None:
            challenge += f', error="{error}"'
            if detail:
                challenge += f', error_description="{_quoted_string_safe(detail)}"'
        headers.setdefault("WWW-Authenticate", challenge)
        super().__init__(detail, headers=headers, **kwargs)


class Forbidden(Problem):
    """Authenticated, but this principal's role does not allow the action."""

    status = 403
    slug = "forbidden"
    title = "Forbidden"


class NotFound(Problem):
    """The resource does not exist for this tenant (another tenant's resource is also 'not found')."""

    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(Problem):
    """The request clashes with the current state: a duplicate, a stale version, a forbidden transition."""

    status = 409
    slug = "conflict"
    title = "Conflict"


class UnprocessableContent(Problem):
    """Well-formed input that breaks a domain rule (e.g. a Form PR that does not balance)."""

    status = 422
    slug = "unprocessable-content"
    title = "Unprocessable content"


class TooManyRequests(Problem):
    """Rate limited; `retry_after` seconds go both in the Retry-After header and the body."""

    status = 429
    slug = "too-many-requests"
    title = "Too many requests"

    def __init__(self, detail: str | None = None, *, retry_after: int | None = None, **kwargs: Any) -> None:
        _add_retry_after(kwargs, retry_after)
        super().__init__(detail, **kwargs)


class ServiceUnavailable(Problem):
    """A dependency we need is down (not the client's fault): retry later, do not re-authenticate."""

    status = 503
    slug = "service-unavailable"
    title = "Service unavailable"

    def __init__(self, detail: str | None = None, *, retry_after: int | None = None, **kwargs: Any) -> None:
        _add_retry_after(kwargs, retry_after)
        super().__init__(detail, **kwargs)


class InternalError(Problem):
    """What a client sees for a bug. The detail is fixed: never put exception text here."""

    status = 500
    slug = "internal-error"
    title = "Internal server error"


def _add_retry_after(kwargs: dict[str, Any], retry_after: int | None) -> None:
    if retry_after is None:
        return
    seconds = max(0, int(retry_after))
    headers = dict(kwargs.pop("headers", None) or {})
    headers["Retry-After"] = str(seconds)
    kwargs["headers"] = headers
    kwargs["retry_after"] = seconds


def _quoted_string_safe(text: str) -> str:
    """RFC 6750 error_description allows printable ASCII except '"' and '\\'."""
    return "".join(ch for ch in text if 0x20 <= ord(ch) <= 0x7E and ch not in '"\\')


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
            if _unstorable_text(exc) and not response_started:
                await problem_response(Request(scope), unstorable_text_problem())(scope, receive, send)
                return
            logger.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            span = trace.get_current_span()
            span.record_exception(exc)
            span.set_status(trace.Status(trace.StatusCode.ERROR, type(exc).__name__))
            if response_started:
                raise
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


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of `app` answer `application/problem+json`. Call before the app first serves."""
    app.add_exception_handler(Problem, _handle_problem)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http_exception)
    app.add_middleware(UnhandledErrorMiddleware)
