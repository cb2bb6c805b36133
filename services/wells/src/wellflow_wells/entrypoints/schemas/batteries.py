"""Tank batteries, their tanks and well connections, and a tank volume at a gauge."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, field_validator

from ...domain.api_number import ApiNumber
from ...domain.strapping import MAX_BARRELS, MAX_LEVEL_INCHES, MAX_PLACES
from .common import (
    Name,
    ShortText,
    Strict,
)


class TankCreate(Strict):
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    product: Literal["oil", "water"] = "oil"
    capacity_bbl: Annotated[Decimal, Field(gt=0, le=100000, decimal_places=2)]
    strapping: Annotated[
        list[
            tuple[Annotated[Decimal, Field(ge=0, le=MAX_LEVEL_INCHES)], Annotated[Decimal, Field(ge=0, le=MAX_BARRELS)]]
        ],
        Field(
            min_length=2,
            max_length=2000,
            description=f"[level in inches, barrels] rows, from level 0 up; at most {MAX_PLACES} decimal places",
        ),
    ]


class ConnectionCreate(Strict):
    well_id: UUID
    effective_from: date
    effective_to: date | None = Field(default=None, description="exclusive; omit while connected")


class ConnectionUpdate(Strict):
    effective_to: date


class BatteryCreate(Strict):
    name: Name
    code: ShortText | None = None
    lease_id: UUID | None = None
    field_id: UUID | None = None
    tanks: Annotated[list[TankCreate], Field(min_length=1, max_length=50)]
    wells: Annotated[list[ConnectionCreate], Field(max_length=500)] = []


class TankRead(BaseModel):
    id: UUID
    number: str
    product: str
    capacity_bbl: Decimal
    strapping: list[tuple[Decimal, Decimal]]


class ConnectionRead(BaseModel):
    well_id: UUID
    well_name: str
    api_number: str
    effective_from: date
    effective_to: date | None

    @field_validator("api_number")
    @classmethod
    def _dashed(cls, value: str) -> str:
        return ApiNumber(value).dashed if "-" not in value else value


class BatterySummaryRead(BaseModel):
    id: UUID
    name: str
    code: str | None
    lease_id: UUID | None
    field_id: UUID | None
    status: str
    created_at: datetime
    updated_at: datetime


class BatteryRead(BatterySummaryRead):
    tanks: list[TankRead]
    wells: list[ConnectionRead]


class TankVolumeRead(BaseModel):
    tank_id: UUID
    feet: int
    inches: int
    quarters: int
    level_inches: Decimal
    barrels: Decimal
