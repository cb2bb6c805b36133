"""The AsyncAPI 3.0 document of a service's integration events: what it publishes and what it consumes.

Built from the contracts registry (events whose type starts with the service's name are the ones it
publishes) and from the handlers registered on its `EventConsumers`; payload schemas are the events' own
JSON Schemas. Served at ``/asyncapi.json`` beside ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from wellflow_contracts import registry as default_registry
from wellflow_contracts.base import IntegrationEvent
from wellflow_contracts.registry import EventRegistry
from wellflow_contracts.subjects import DEFAULT_ROOT

from .broker import EventConsumers


def _channel_id(event_type: str) -> str:
    return event_type.replace(".", "_")


def _channel(model: type[IntegrationEvent], root: str) -> dict[str, Any]:
    service, name, version = model.event_type().split(".")
    return {
        "address": f"{root}.evt.{{tenant_id}}.{service}.{name}.{version}",
        "parameters": {"tenant_id": {"description": "the organization (tenant) the event belongs to"}},
        "messages": {
            _channel_id(model.event_type()): {"$ref": f"#/components/messages/{_channel_id(model.event_type())}"}
        },
    }


def _message(model: type[IntegrationEvent]) -> dict[str, Any]:
    doc = (model.__doc__ or "").strip()
    return {
        "name": model.event_type(),
        "title": model.__name__,
        "summary": doc.splitlines()[0] if doc else model.event_type(),
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "description": "CloudEvents 1.0 binary mode over NATS headers",
            "properties": {
                name: {"type": "string"}
                for name in (
                    "ce-specversion",
                    "ce-id",
                    "ce-type",
                    "ce-source",
                    "ce-time",
                    "ce-tenantid",
                    "traceparent",
                    "Nats-Msg-Id",
                )
            },
        },
        "payload": model.model_json_schema(mode="serialization"),
    }


def build_asyncapi(
    service: str,
    version: str,
    consumers: EventConsumers | None = None,
    *,
    events: EventRegistry = default_registry,
    root: str = DEFAULT_ROOT,
) -> dict[str, Any]:
    published = [model for model in events if model.event_type().split(".", 1)[0] == service]
    handlers = {name: model for name, (model, _) in (consumers.handlers.items() if consumers else [])}
    # A handler on the base IntegrationEvent takes every event type (webhook fan-out): its operation is on the
    # catch-all channel, whose messages are every registered event.
    consumed = {name: model for name, model in handlers.items() if model is not IntegrationEvent}
    every = sorted(name for name, model in handlers.items() if model is IntegrationEvent)
    models = {model.event_type(): model for model in [*published, *consumed.values()]}
    if every:
        models.update({model.event_type(): model for model in events})
    operations: dict[str, Any] = {}
    for model in published:
        operations[f"publish_{_channel_id(model.event_type())}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{_channel_id(model.event_type())}"},
        }
    for consumer, model in sorted(consumed.items()):
        operations[consumer] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{_channel_id(model.event_type())}"},
            "description": f"durable pull consumer {consumer} (dead letters: {root}.dlq.{service}.{consumer})",
        }
    channels = {_channel_id(t): _channel(m, root) for t, m in sorted(models.items())}
    for consumer in every:
        channels["every_event"] = {
            "address": f"{root}.evt.{{tenant_id}}.>",
            "parameters": {"tenant_id": {"description": "the organization (tenant) the event belongs to"}},
            "messages": {_channel_id(t): {"$ref": f"#/components/messages/{_channel_id(t)}"} for t in sorted(models)},
        }
        operations[consumer] = {
            "action": "receive",
            "channel": {"$ref": "#/channels/every_event"},
            "description": f"durable pull consumer {consumer} of every event (dead letters: "
            f"{root}.dlq.{service}.{consumer})",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"WellFlow {service} events", "version": version},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": {_channel_id(t): _message(m) for t, m in sorted(models.items())}},
    }
