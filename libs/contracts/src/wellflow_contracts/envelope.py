"""CloudEvents 1.0 binary content mode over NATS headers.

The message body is the event's JSON; the context attributes travel as ``ce-*`` headers, the tenant as the
``ce-tenantid`` extension, the W3C trace context as ``traceparent``/``tracestate``, and ``Nats-Msg-Id``
equals ``ce-id`` so JetStream drops a republished event inside its duplicate window.
"""

from __future__ import annotations

from collections.abc import Mapping

from .base import IntegrationEvent
from .registry import EventRegistry, registry

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"


class MalformedEnvelope(ValueError):
    """A message lacks the headers or body an integration event needs."""


def source_for(service: str) -> str:
    return f"/wellflow/{service}"


def to_headers(
    event: IntegrationEvent,
    *,
    source: str,
    traceparent: str | None = None,
    tracestate: str | None = None,
) -> dict[str, str]:
    headers = {
        "ce-specversion": SPEC_VERSION,
        "ce-id": str(event.event_id),
        "ce-type": event.type,
        "ce-source": source,
        "ce-time": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "ce-tenantid": str(event.tenant_id),
        "content-type": CONTENT_TYPE,
        "Nats-Msg-Id": str(event.event_id),
    }
    if traceparent:
        headers["traceparent"] = traceparent
    if tracestate:
        headers["tracestate"] = tracestate
    return headers


def encode(event: IntegrationEvent) -> bytes:
    return event.model_dump_json().encode()


def decode(headers: Mapping[str, str] | None, body: bytes, *, events: EventRegistry = registry) -> IntegrationEvent:
    """Rebuild the event from a message; raises UnknownEventType or MalformedEnvelope."""
    headers = headers or {}
    event_type = headers.get("ce-type")
    if not event_type:
        raise MalformedEnvelope("message has no ce-type header")
    if headers.get("ce-specversion") != SPEC_VERSION:
        raise MalformedEnvelope(f"unsupported ce-specversion {headers.get('ce-specversion')!r}")
    model = events.model_for(event_type)
    try:
        event = model.model_validate_json(body)
    except ValueError as exc:
        raise MalformedEnvelope(f"body is not a valid {event_type}: {exc}") from exc
    if str(event.event_id) != headers.get("ce-id") or str(event.tenant_id) != headers.get("ce-tenantid"):
        raise MalformedEnvelope("ce-id or ce-tenantid disagrees with the body")
    return event
