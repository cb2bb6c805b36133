"""AFEs and their alerts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from .common import (
    LongText,
    Name,
    NoNul,
    _In,
)
from .jib import CostCategoryIn, Percent


class AfeLineCreate(_In):
    kind: Literal["intangible", "tangible"]
    category: CostCategoryIn
    description: LongText | None = None
    amount: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]


class AfeCreate(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    afe_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), NoNul]
    title: Name
    lease_id: UUID
    well_id: UUID | None = None
    parent_afe_id: UUID | None = Field(default=None, description="set for a supplemental AFE")
    overrun_percent: Percent | None = Field(default=None, description="defaults to the lease's agreement")
    description: LongText | None = None
    lines: Annotated[list[AfeLineCreate], Field(max_length=500)] = Field(default_factory=list)


class AfeLinesUpdate(_In):
    lines: Annotated[list[AfeLineCreate], Field(max_length=500)]


class AfeTransitionCreate(_In):
    status: Literal["draft", "pending_approval", "approved", "rejected", "in_progress", "completed", "closed"]
    note: LongText | None = None


class ElectionUpdate(_In):
    partner_id: UUID
    election: Literal["consent", "non_consent"]
    decided_on: date


class AfeRead(BaseModel):
    id: UUID
    afe_number: str
    title: str
    lease_id: UUID
    well_id: UUID | None
    parent_afe_id: UUID | None
    status: str
    overrun_percent: Decimal
    description: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    lines: list[dict[str, Any]] = Field(default_factory=list)
    elections: list[dict[str, Any]] = Field(default_factory=list)
    history: list[dict[str, Any]] = Field(default_factory=list)
    supplement_ids: list[UUID] = Field(default_factory=list)
    estimate: Decimal | None = None
    approved_total: Decimal | None = None
    actual: Decimal | None = None


class AlertRead(BaseModel):
    id: UUID
    kind: str
    afe_id: UUID | None
    message: str
    details: dict[str, Any]
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
