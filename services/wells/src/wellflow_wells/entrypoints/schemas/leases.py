"""Leases: register and update bodies and the answer (with the pending-number flag)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, field_validator

from ...domain.rules import LeaseStatus, LeaseType
from .common import (
    District,
    LeaseNumber,
    Name,
    ShortText,
    Strict,
)


class _LeaseFields(Strict):
    rrc_lease_number: LeaseNumber | None = Field(
        default=None, description="RRC lease number (up to 6 characters); omit while pending"
    )
    field_id: UUID | None = None
    county: ShortText | None = None
    lessor: Name | None = None
    effective_date: date | None = None
    expiration_date: date | None = None
    royalty_rate: Annotated[Decimal, Field(ge=0, le=1, max_digits=10, decimal_places=8)] | None = None
    legal_description: Annotated[str, StringConstraints(max_length=4000)] | None = None


class LeaseCreate(_LeaseFields):
    name: Name
    rrc_district: District
    lease_type: LeaseType
    status: LeaseStatus = LeaseStatus.ACTIVE


class LeaseUpdate(_LeaseFields):
    name: Name | None = None
    rrc_district: District | None = None
    lease_type: LeaseType | None = None
    status: LeaseStatus | None = None

    @field_validator("name", "rrc_district", "lease_type", "status")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value


class LeaseRead(BaseModel):
    id: UUID
    name: str
    rrc_district: str
    rrc_lease_number: str | None
    rrc_lease_number_pending: bool
    lease_type: str
    field_id: UUID | None
    county: str | None
    lessor: str | None
    effective_date: date | None
    expiration_date: date | None
    royalty_rate: Decimal | None
    legal_description: str | None
    status: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> LeaseRead:
        return cls(**row, rrc_lease_number_pending=row["rrc_lease_number"] is None)
