"""Request and response bodies. Input rules that need no database (API number structure, RRC district,
enums, ranges) are checked here, so a bad value answers 422 naming the field before anything is written."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ..domain.api_number import ApiNumber
from ..domain.errors import InvalidApiNumber
from ..domain.lifecycle import WellStatus, allowed_next
from ..domain.rules import (
    LeaseStatus,
    LeaseType,
    PermitStatus,
    PermitType,
    WellPurpose,
    WellType,
    normalize_district,
)


def _api_number(value: str) -> str:
    try:
        return ApiNumber.parse(value).digits
    except InvalidApiNumber as exc:
        raise ValueError(exc.message) from None


def _district(value: str) -> str:
    return normalize_district(value)


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ApiNumberIn = Annotated[str, AfterValidator(_api_number)]
District = Annotated[str, AfterValidator(_district)]
LeaseNumber = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[0-9A-Z]{1,6}$")]
Latitude = Annotated[Decimal, Field(ge=-90, le=90, max_digits=10, decimal_places=7)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, max_digits=10, decimal_places=7)]
Depth = Annotated[Decimal, Field(ge=0, le=60000, decimal_places=2)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldIn(_In):
    name: Name
    code: ShortText | None = None
    basin: ShortText | None = None
    county: ShortText | None = None
    state: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$")] = "TX"


class FieldOut(BaseModel):
    id: UUID
    name: str
    code: str | None
    basin: str | None
    county: str | None
    state: str
    created_at: datetime
    updated_at: datetime


class _LeaseFields(_In):
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


class LeaseIn(_LeaseFields):
    name: Name
    rrc_district: District
    lease_type: LeaseType
    status: LeaseStatus = LeaseStatus.ACTIVE


class LeasePatch(_LeaseFields):
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


class LeaseOut(BaseModel):
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
    def of(cls, row: dict[str, Any]) -> LeaseOut:
        return cls(**row, rrc_lease_number_pending=row["rrc_lease_number"] is None)


class _WellFields(_In):
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


class WellIn(_WellFields):
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


class WellPatch(_WellFields):
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


class WellOut(BaseModel):
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
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> WellOut:
        api = ApiNumber(row["api_number"])
        values = {k: v for k, v in row.items() if k in cls.model_fields and k != "api_number"}
        return cls(
            **values,
            api_number=api.dashed,
            api_number_digits=api.digits,
            allowed_next_statuses=allowed_next(row["status"]),
        )


class StatusChangeIn(_In):
    status: WellStatus
    effective_date: date | None = Field(default=None, description="when the change took effect; default today")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


class StatusHistoryOut(BaseModel):
    from_status: str | None
    to_status: str
    effective_date: date
    reason: str | None
    changed_by: str
    changed_at: datetime


class TankIn(_In):
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    product: Literal["oil", "water"] = "oil"
    capacity_bbl: Annotated[Decimal, Field(gt=0, le=100000, decimal_places=2)]
    strapping: Annotated[
        list[tuple[Annotated[Decimal, Field(ge=0)], Annotated[Decimal, Field(ge=0)]]],
        Field(min_length=2, max_length=2000, description="[level in inches, barrels] rows, from level 0 up"),
    ]


class ConnectionIn(_In):
    well_id: UUID
    effective_from: date
    effective_to: date | None = Field(default=None, description="exclusive; omit while connected")


class DisconnectIn(_In):
    effective_to: date


class BatteryIn(_In):
    name: Name
    code: ShortText | None = None
    lease_id: UUID | None = None
    field_id: UUID | None = None
    tanks: Annotated[list[TankIn], Field(min_length=1, max_length=50)]
    wells: Annotated[list[ConnectionIn], Field(max_length=500)] = []


class TankOut(BaseModel):
    id: UUID
    number: str
    product: str
    capacity_bbl: Decimal
    strapping: list[tuple[Decimal, Decimal]]


class ConnectionOut(BaseModel):
    well_id: UUID
    well_name: str
    api_number: str
    effective_from: date
    effective_to: date | None

    @field_validator("api_number")
    @classmethod
    def _dashed(cls, value: str) -> str:
        return ApiNumber(value).dashed if "-" not in value else value


class BatterySummary(BaseModel):
    id: UUID
    name: str
    code: str | None
    lease_id: UUID | None
    field_id: UUID | None
    status: str
    created_at: datetime
    updated_at: datetime


class BatteryOut(BatterySummary):
    tanks: list[TankOut]
    wells: list[ConnectionOut]


class TankVolumeOut(BaseModel):
    tank_id: UUID
    feet: int
    inches: int
    quarters: int
    level_inches: Decimal
    barrels: Decimal


Rate = Annotated[Decimal, Field(ge=0, le=1_000_000, decimal_places=2)]


class WellTestIn(_In):
    test_date: date
    oil_bbl_per_day: Rate
    gas_mcf_per_day: Rate
    water_bbl_per_day: Rate
    hours: Annotated[Decimal, Field(gt=0, le=72, decimal_places=2)] = Decimal(24)
    notes: Annotated[str, StringConstraints(max_length=2000)] | None = None


class WellTestOut(BaseModel):
    id: UUID
    well_id: UUID
    test_date: date
    oil_bbl_per_day: Decimal
    gas_mcf_per_day: Decimal
    water_bbl_per_day: Decimal
    hours: Decimal
    notes: str | None
    recorded_by: str
    recorded_at: datetime


class EquipmentIn(_In):
    tag: ShortText
    equipment_type: ShortText = Field(description="e.g. pumping_unit, separator, heater_treater, meter")
    manufacturer: ShortText | None = None
    model: ShortText | None = None
    serial_number: ShortText | None = None
    well_id: UUID | None = None
    battery_id: UUID | None = None
    install_date: date | None = None
    last_maintenance_date: date | None = None
    next_maintenance_date: date | None = None


class EquipmentOut(BaseModel):
    id: UUID
    tag: str
    equipment_type: str
    manufacturer: str | None
    model: str | None
    serial_number: str | None
    well_id: UUID | None
    battery_id: UUID | None
    install_date: date | None
    last_maintenance_date: date | None
    next_maintenance_date: date | None
    created_at: datetime


class PermitIn(_In):
    permit_number: ShortText
    permit_type: PermitType
    status: PermitStatus = PermitStatus.DRAFT
    agency: ShortText = "RRC"
    well_id: UUID | None = None
    battery_id: UUID | None = None
    application_date: date | None = None
    approval_date: date | None = None
    expiration_date: date | None = None


class PermitOut(BaseModel):
    id: UUID
    permit_number: str
    permit_type: str
    status: str
    agency: str
    well_id: UUID | None
    battery_id: UUID | None
    application_date: date | None
    approval_date: date | None
    expiration_date: date | None
    created_at: datetime


class RowError(BaseModel):
    field: str
    message: str


class ImportRow(BaseModel):
    row: int = Field(description="line in the file (the header is line 1)")
    status: Literal["created", "rejected"]
    well_id: UUID | None = None
    api_number: str | None = None
    errors: list[RowError] = []


class ImportReport(BaseModel):
    created: int
    rejected: int
    rows: list[ImportRow]
