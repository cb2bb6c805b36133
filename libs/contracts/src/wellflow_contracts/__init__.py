"""WellFlow integration events: the only code services share about each other."""

from .base import IntegrationEvent
from .envelope import MalformedEnvelope, decode, encode, source_for, to_headers
from .ids import uuid7
from .registry import EventRegistry, UnknownEventType, registry

__all__ = [
    "EventRegistry",
    "IntegrationEvent",
    "MalformedEnvelope",
    "UnknownEventType",
    "decode",
    "encode",
    "registry",
    "source_for",
    "to_headers",
    "uuid7",
]
