"""The problems a use case raises: an HTTP status, a stable type and a message a person can act on.

Plain Python, so ``app/`` and ``domain/`` modules can raise them without importing a web framework;
``problems`` turns them into RFC 9457 responses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, TypedDict

PROBLEM_TYPE_BASE = "https://wellflow.dev/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"
_RESERVED_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "errors", "request_id"})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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


class _RetryLater(Problem):
    """A problem that may say when to try again: `retry_after` seconds (at least 0) go both in the Retry-After
    header and the body."""

    def __init__(self, detail: str | None = None, *, retry_after: int | None = None, **kwargs: Any) -> None:
        if retry_after is not None:
            seconds = max(0, int(retry_after))
            kwargs["headers"] = {**(kwargs.pop("headers", None) or {}), "Retry-After": str(seconds)}
            kwargs["retry_after"] = seconds
        super().__init__(detail, **kwargs)


class TooManyRequests(_RetryLater):
    """Rate limited; `retry_after` seconds go both in the Retry-After header and the body."""

    status = 429
    slug = "too-many-requests"
    title = "Too many requests"


class ServiceUnavailable(_RetryLater):
    """A dependency we need is down (not the client's fault): retry later, do not re-authenticate."""

    status = 503
    slug = "service-unavailable"
    title = "Service unavailable"


class InternalError(Problem):
    """What a client sees for a bug. The detail is fixed: never put exception text here."""

    status = 500
    slug = "internal-error"
    title = "Internal server error"


def _quoted_string_safe(text: str) -> str:
    """RFC 6750 error_description allows printable ASCII except '"' and '\\'."""
    return "".join(ch for ch in text if 0x20 <= ord(ch) <= 0x7E and ch not in '"\\')
