"""The integration-event base model.

An integration event carries ids and facts about something that happened in one service, for other
services and outside systems. It is frozen, versioned in its ``type`` (``wells.well_registered.v1``), and
read leniently: a consumer ignores fields it does not know, so a producer may add fields within a version.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .ids import uuid7

EVENT_TYPE_PATTERN = re.compile(r"^(?P<service>[a-z][a-z0-9_]*)\.(?P<name>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)$")


def utcnow() -> datetime:
    return datetime.now(UTC)


class IntegrationEvent(BaseModel):
    """Base of every integration event.

    Subclasses declare ``type: Literal["<service>.<event>.v<N>"] = "<service>.<event>.v<N>"`` and the facts
    as fields. An event whose order matters relative to other events of the same thing (a well, a lease)
    names that thing in ``aggregate_field``; the outbox then publishes events of one aggregate in commit order,
    and consumers handle them one at a time in that order. The key is the producer and the thing, not the event
    type (``wells.well:<id>`` for every event whose ``aggregate_field`` is ``well_id``), so a registration, an
    update and a status change of one well stay in order together.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: UUID = Field(default_factory=uuid7, description="Unique id; also the CloudEvents id and Nats-Msg-Id.")
    occurred_at: datetime = Field(default_factory=utcnow, description="When the fact happened (UTC).")
    tenant_id: UUID = Field(description="The organization (tenant) the fact belongs to.")
    type: str

    aggregate_field: ClassVar[str | None] = None

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at must carry a time zone")
        return value.astimezone(UTC)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        field = cls.model_fields.get("type")
        default = field.default if field is not None else None
        if isinstance(default, str) and default:
            from .registry import registry

            registry.register(cls)

    @classmethod
    def event_type(cls) -> str:
        default = cls.model_fields["type"].default
        if not isinstance(default, str) or not EVENT_TYPE_PATTERN.match(default):
            raise TypeError(f"{cls.__name__} declares no valid type string")
        return default

    @property
    def producer(self) -> str:
        """The producing service, the first part of the type string."""
        return self.type.split(".", 1)[0]

    @property
    def aggregate_id(self) -> str | None:
        """Key whose events keep their order through the outbox, or None when order does not matter."""
        if self.aggregate_field is None:
            return None
        thing = self.aggregate_field.removesuffix("_id")
        return f"{self.producer}.{thing}:{getattr(self, self.aggregate_field)}"
