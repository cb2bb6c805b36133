"""What every service's use cases share, in plain Python: who acts, the clock, field errors, exact JSON,
request fingerprints and the comparison behind idempotent creates.

``app/`` modules import this (and ``errors``), never a database or web library: a use case is then
unit-testable with ``wellflow_servicekit.testing.FakeUnitOfWork``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from wellflow_contracts import IntegrationEvent

from .errors import Conflict, UnprocessableContent

Clock = Callable[[], datetime]
T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    """The verified principal a use case acts for: a member (or API key) of one organization."""

    id: str
    organization_id: UUID
    role: str = "owner"


class Work(Protocol):
    """What a use case sees of its unit of work: the tenant and the outbox. A service's own protocol adds
    its repositories (``uow.readings``, ``uow.wells``...)."""

    tenant_id: UUID | None

    def record(self, event: IntegrationEvent, *, aggregate_key: str | None = None) -> None: ...


def invalid(field: str, message: str, *, slug: str = "validation-error", **extra: Any) -> UnprocessableContent:
    """A 422 naming the offending field, e.g. ``invalid("body.well_id", "...")``."""
    return UnprocessableContent(message, slug=slug, errors=[{"field": field, "message": message}], **extra)


def jsonable(value: Any) -> Any:
    """Decimals as strings, dates and ids as ISO text: how a stored response or history row keeps exact values."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def request_hash(body: Mapping[str, Any]) -> str:
    """A stable fingerprint of a request body, to tell a retry from a different request under the same key."""
    return hashlib.sha256(json.dumps(jsonable(body), sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def same_value(stored: Any, wanted: Any) -> bool:
    """Whether a stored resource's value is what a request asked for (mappings compare on the asked keys,
    sequences item by item)."""
    if isinstance(wanted, Mapping):
        return isinstance(stored, Mapping) and all(same_value(stored.get(key), value) for key, value in wanted.items())
    if isinstance(wanted, list | tuple):
        return (
            isinstance(stored, list | tuple)
            and len(stored) == len(wanted)
            and all(same_value(s, w) for s, w in zip(stored, wanted, strict=True))
        )
    return bool(stored == wanted)


def check_same_request(stored: Mapping[str, Any], request: Mapping[str, Any], *, noun: str) -> None:
    """The one meaning of an idempotent create's retry: the same id (or key) and the same body answers the
    stored resource; the same id with a different body is a 409 naming every differing field."""
    differing = sorted(key for key, wanted in request.items() if not same_value(stored.get(key), wanted))
    if differing:
        raise Conflict(
            f"Another {noun} already has this id; a new {noun} needs a new id.",
            slug="id-in-use",
            errors=[{"field": f"body.{key}", "message": f"differs from the stored {noun}"} for key in differing],
        )


@dataclass(frozen=True)
class PageOf(Generic[T]):
    """One page of a list: the items, the total and where it starts."""

    items: list[T]
    total: int
    limit: int
    offset: int


def clamp_limit(limit: int, maximum: int) -> int:
    return max(1, min(limit, maximum))
