"""The submission queue's schemas (split from ``schemas.py``): what a submission shows, how it is filed, its
filing package and the RRC's confirmation as a person records it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from .schemas import STAND_IN_LABEL, FiledVia, Page, _Body

__all__ = ["Page"]


SubmissionState = Literal["queued", "in_flight", "awaiting_confirmation", "accepted", "rejected", "failed"]


class SubmissionConfirmationCreate(_Body):
    """The RRC's confirmation of a report filed by hand, as the person who filed it read it."""

    confirmation_number: str = Field(
        min_length=1,
        max_length=40,
        description="the confirmation number the RRC gave (letters, digits, '-', '/', '.', inner spaces)",
    )
    confirmation_date: date | None = Field(default=None, description="the date the RRC gave, if shown")
    note: str | None = Field(default=None, max_length=1000, description="anything worth keeping with it")

    @field_validator("confirmation_number")
    @classmethod
    def _number(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("enter the confirmation number the RRC gave")
        if not all(ch.isascii() and (ch.isalnum() or ch in "-/. ") for ch in value):
            raise ValueError("use letters, digits, '-', '/' and '.' as the RRC shows them")
        return value

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None


class PackageFileRead(BaseModel):
    name: str
    media_type: str
    description: str
    url: str


class SubmissionConfirmationRead(BaseModel):
    confirmation_number: str | None
    confirmation_date: date | None
    note: str | None
    recorded_by: str | None = Field(description="who recorded it; None when a real RRC adapter reported it")
    recorded_at: datetime | None


class SubmissionRead(BaseModel):
    id: UUID
    report_id: UUID
    report_version: int
    period: date = Field(description="first day of the production month")
    submission_key: str = Field(description="sent with every attempt; the portal files a key once")
    state: SubmissionState
    attempts: int = Field(description="calls that reached (or tried to reach) the portal, since the last retry")
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    confirmation_number: str | None
    accepted_at: datetime | None
    reasons: list[str] = Field(description="the portal's reasons for a rejection")
    requested_by: str
    retried_by: str | None
    created_at: datetime
    updated_at: datetime
    filed_via: FiledVia = Field(
        description="manual: prepared for filing by hand; stand-in: answered by WellFlow's RRC stand-in (dev "
        "stack and demo: nothing was sent to the RRC); rrc: a real RRC adapter"
    )
    stand_in: bool = Field(description="the answer (if any) is the stand-in's: nothing reached the RRC")
    notice: str | None = Field(description=f"'{STAND_IN_LABEL}' on a stand-in submission")
    rrc_confirmed: bool = Field(description="the RRC's confirmation is recorded (or a real adapter reported it)")
    confirmation: SubmissionConfirmationRead | None = Field(description="the RRC's confirmation, once confirmed")
    package: list[PackageFileRead] = Field(description="the filing package: PDF and WellFlow's own electronic files")
