"""The integrations API's request and answer bodies. Names start with Feed or Webhook: the gateway merges
every service's schemas into one document, where names must not collide."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class FeedStart(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Literal["new", "all", "time", "sequence"] = Field(
        default="new",
        alias="from",
        description="new: events from now on; all: everything kept (30 days); time: from `time`; "
        "sequence: from the feed stream's sequence `sequence`",
    )
    time: datetime | None = None
    sequence: int | None = Field(default=None, ge=1)


class FeedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="the outside system's name, also its NATS credential's label", max_length=32)
    start: FeedStart = Field(default_factory=FeedStart)


class FeedReplay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: FeedStart


class FeedState(BaseModel):
    pending: int
    unacknowledged: int
    redelivered: int
    delivered_sequence: int
    acknowledged_sequence: int


class FeedRead(BaseModel):
    id: UUID
    name: str
    stream: str
    consumer: str
    subjects: str
    start: str
    created_at: datetime
    updated_at: datetime
    state: FeedState | None = Field(description="the consumer as NATS sees it (null if it is missing)")


class WebhookEndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="https URL on a public address")
    event_types: list[str] = Field(max_length=100, description="event types (docs/events/index.json), or '*'")
    description: str = Field(default="", max_length=500)
    enabled: bool = True


class WebhookEndpointUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2000)
    event_types: list[str] | None = Field(default=None, max_length=100)
    description: str | None = Field(default=None, max_length=500)
    enabled: bool | None = None


class WebhookEndpointRead(BaseModel):
    id: UUID
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    created_at: datetime
    updated_at: datetime


class WebhookEndpointCreated(WebhookEndpointRead):
    secret: str = Field(description="the signing secret (whsec_...): shown only in this answer")


class WebhookReplay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: datetime = Field(description="every kept event of the endpoint's types that occurred at or after this")


class WebhookReplayQueued(BaseModel):
    queued: int


class WebhookAttemptRead(BaseModel):
    id: UUID
    attempted_at: datetime
    status_code: int | None
    outcome: Literal["delivered", "failed", "refused"]
    error: str | None
    duration_ms: int
    response_excerpt: str | None


class WebhookDeliveryRead(BaseModel):
    id: UUID
    endpoint_id: UUID
    event_id: UUID
    event_type: str
    ordering_key: str | None
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    finished_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    replay_of: UUID | None


class WebhookDeliveryDetail(WebhookDeliveryRead):
    attempt_log: list[WebhookAttemptRead]
