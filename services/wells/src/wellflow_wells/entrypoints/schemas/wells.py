"""Wells: register and update bodies, the answer (API number dashed, allowed next statuses), status changes
and their history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, field_validator

from ...domain.api_number import ApiNumber
from ...domain.lifecycle import WellStatus, allowed_next
from ...domain.rules import WellPurpose, WellType
from .common import (
    ApiNumberIn,
    Depth,
    Latitude,
    Longitude,
    Name,
    ShortText,
    Strict,
)


class _WellFields(Strict):
    number: ShortText | None = None
    field_id: UUID | None = None
    county: ShortText | None = None
    spud_date: date | None = None
    completion_date: date | None = None
    first_production_date: date | None = None
    plugged_date: date | None = None
    surface_latitude: Latitude | None = None
    surface_longitude: Longitude | None = None
    bottom_latitude: Latitude | None = None
    bottom_longitude: Longitude | None = None
    total_depth_ft: Depth | None = None
    true_vertical_depth_ft: Depth | None = None
    gas_well_id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z]{1,10}$")] | None = None
    permit_number: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{1,7}$")] | None = Field(
        default=None, description="drilling permit (W-1) number, up to 7 digits 0-9"
    )


class WellCreate(_WellFields):
    name: Name
    api_number: ApiNumberIn = Field(description="10, 12 or 14 digits, dashed or plain; stored as 14 digits")
    lease_id: UUID
    well_type: WellType
    purpose: WellPurpose
    status: WellStatus = Field(
        default=WellStatus.PROPOSED, description="initial status (a drilled well may start later)"
    )
    is_horizontal: bool = False
    is_offshore: bool = False


class WellUpdate(_WellFields):
    """Details only; the status changes through POST /wells/{id}/status."""

    name: Name | None = None
    api_number: ApiNumberIn | None = None
    lease_id: UUID | None = None
    well_type: WellType | None = None
    purpose: WellPurpose | None = None
    is_horizontal: bool | None = None
    is_offshore: bool | None = None

    @field_validator("name", "api_number", "lease_id", "well_type", "purpose", "is_horizontal", "is_offshore")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value


class WellRead(BaseModel):
    id: UUID
    name: str
    number: str | None
    api_number: str = Field(description="dashed: 42-501-20130-03-00")
    api_number_digits: str
    lease_id: UUID
    field_id: UUID | None
    county: str | None
    well_type: str
    purpose: str
    status: str
    allowed_next_statuses: list[str]
    spud_date: date | None
    completion_date: date | None
    first_production_date: date | None
    plugged_date: date | None
    surface_latitude: Decimal | None
    surface_longitude: Decimal | None
    bottom_latitude: Decimal | None
    bottom_longitude: Decimal | None
    total_depth_ft: Decimal | None
    true_vertical_depth_ft: Decimal | None
    is_horizontal: bool
    is_offshore: bool
    gas_well_id: str | None
    permit_number: str | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> WellRead:
        api = ApiNumber(row["api_number"])
        fields = cls.__pydantic_fields__  # not `model_fields`: a deprecated-property lookup per key was a fifth
        values = {k: v for k, v in row.items() if k in fields and k != "api_number"}
        return cls(
            **values,
            api_number=api.dashed,
            api_number_digits=api.digits,
            allowed_next_statuses=allowed_next(row["status"]),
        )


class StatusChangeCreate(Strict):
    status: WellStatus
    effective_date: date | None = Field(default=None, description="when the change took effect; default today")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


class StatusHistoryRead(BaseModel):
    from_status: str | None
    to_status: str
    effective_date: date
    reason: str | None
    changed_by: str
    changed_at: datetime
