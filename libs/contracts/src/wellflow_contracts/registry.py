"""The registry from type string to event model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import IntegrationEvent


class UnknownEventType(LookupError):
    """A message names an event type this process has no model for."""


class EventRegistry:
    def __init__(self) -> None:
        self._models: dict[str, type[IntegrationEvent]] = {}

    def register(self, model: type[IntegrationEvent]) -> type[IntegrationEvent]:
        event_type = model.event_type()
        existing = self._models.get(event_type)
        if existing is not None and existing.__qualname__ != model.__qualname__:
            raise ValueError(f"event type {event_type!r} is already registered by {existing.__qualname__}")
        self._models[event_type] = model
        return model

    def model_for(self, event_type: str) -> type[IntegrationEvent]:
        try:
            return self._models[event_type]
        except KeyError:
            raise UnknownEventType(event_type) from None

    def __contains__(self, event_type: object) -> bool:
        return event_type in self._models

    def __iter__(self) -> Iterator[type[IntegrationEvent]]:
        return iter(sorted(self._models.values(), key=lambda m: m.event_type()))

    def types(self) -> list[str]:
        return sorted(self._models)


registry = EventRegistry()
