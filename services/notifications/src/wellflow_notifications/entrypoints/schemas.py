"""The notifications API's request and answer shapes."""

from __future__ import annotations

from datetime import datetime, time
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from wellflow_servicekit.pages import Page

Channel = Literal["email", "sms", "in_app"]


class NotificationRead(BaseModel):
    id: UUID
    member_id: UUID
    event_id: UUID
    kind: str
    severity: str
    title: str
    body: str
    link: str | None = Field(description="the console page, e.g. 'alerts' (open it as #/alerts)")
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationRead]):
    unread: int = Field(description="the member's unread notifications, whatever the filters")


class UnreadCount(BaseModel):
    unread: int


class MarkRead(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[UUID] | None = Field(default=None, max_length=500, description="the notifications; none: all of yours")
    read: bool = Field(default=True, description="false marks them unread again")


class Marked(BaseModel):
    changed: int
    unread: int


class PreferencesRead(BaseModel):
    member_id: UUID
    role: str
    channels: dict[str, list[Channel]] = Field(description="each kind your role receives, with its channels")
    quiet_start: time | None
    quiet_end: time | None
    time_zone: str
    digest: bool
    digest_hour: int
    sms_number: str | None


class PreferencesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: dict[str, list[Channel]] | None = Field(
        default=None, description="kinds to change, each with its channels"
    )
    quiet_start: time | None = Field(default=None, description="local time email and SMS stop (both ends, or none)")
    quiet_end: time | None = None
    time_zone: str | None = Field(default=None, description="IANA name, e.g. America/Chicago")
    digest: bool | None = Field(default=None, description="one daily mail instead of one mail each")
    digest_hour: int | None = Field(default=None, ge=0, le=23)
    sms_number: str | None = Field(default=None, description="E.164, e.g. +14325550123; null removes it")


class DigestSent(BaseModel):
    notifications: int = Field(description="how many notifications the digest holds (0: nothing was waiting)")


class DeliveryRead(BaseModel):
    id: UUID
    dedup_key: str
    notification_id: UUID | None
    member_id: UUID | None
    kind: str
    channel: str
    address: str
    status: str = Field(description="pending, digest, digested, sent, failed, suppressed")
    subject: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    finished_at: datetime | None
    provider_id: str | None
    last_error: str | None


class AttemptRead(BaseModel):
    id: UUID
    attempted_at: datetime
    outcome: str
    error: str | None
    duration_ms: int


class DeliveryDetail(DeliveryRead):
    text_body: str
    attempts_made: list[AttemptRead]


class SuppressionRead(BaseModel):
    channel: str
    address: str
    reason: str
    detail: str | None
    created_at: datetime
