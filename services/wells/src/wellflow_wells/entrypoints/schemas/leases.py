"""Leases: register and update bodies and the answer (with the pending-number flag)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from ...domain.rules import LeaseStatus, LeaseType
from .common import (
    District,
    LeaseNumber,
    Name,
    ShortText,
    Strict,
)

P5Number = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6}$"),
    Field(description="the purchaser's or gatherer's RRC organization (P-5) number: exactly 6 digits 0-9"),
]


class PurchaserIn(Strict):
    """One purchaser or gatherer of one of the lease's products, as on the lease's Form P-4."""

    product: Literal["oil", "condensate", "casinghead_gas", "gas_well_gas"]
    role: Literal["purchaser", "gatherer"]
    name: Name
    p5_number: P5Number
    effective_from: date | None = None
    effective_to: date | None = Field(default=None, description="exclusive; omit while in effect")

    @model_validator(mode="after")
    def _dates_in_order(self) -> PurchaserIn:
        if self.effective_from and self.effective_to and self.effective_to <= self.effective_from:
            raise ValueError("effective_to must be after effective_from")
        return self


class PurchaserRead(BaseModel):
    product: str
    role: str
    name: str
    p5_number: str
    effective_from: date | None = None
    effective_to: date | None = None


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
    purchasers: Annotated[list[PurchaserIn], Field(max_length=40)] | None = Field(
        default=None, description="Form P-4: the purchaser and gatherer of each product, with their P-5 numbers"
    )


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
    purchasers: list[PurchaserRead] = Field(default=[], description="Form P-4 purchasers and gatherers")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> LeaseRead:
        values = {**row, "purchasers": row.get("purchasers") or []}
        return cls(**values, rrc_lease_number_pending=row["rrc_lease_number"] is None)
