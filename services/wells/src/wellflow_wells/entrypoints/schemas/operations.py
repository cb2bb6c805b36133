"""Well tests, equipment and permits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from ...domain.rules import PermitStatus, PermitType
from .common import (
    ShortText,
    Strict,
)

Rate = Annotated[Decimal, Field(ge=0, le=1_000_000, decimal_places=2)]


class WellTestCreate(Strict):
    test_date: date
    oil_bbl_per_day: Rate
    gas_mcf_per_day: Rate
    water_bbl_per_day: Rate
    hours: Annotated[Decimal, Field(gt=0, le=72, decimal_places=2)] = Decimal(24)
    notes: Annotated[str, StringConstraints(max_length=2000)] | None = None


class WellTestRead(BaseModel):
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


class EquipmentCreate(Strict):
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


class EquipmentRead(BaseModel):
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


class PermitCreate(Strict):
    permit_number: ShortText
    permit_type: PermitType
    status: PermitStatus = PermitStatus.DRAFT
    agency: ShortText = "RRC"
    well_id: UUID | None = None
    battery_id: UUID | None = None
    application_date: date | None = None
    approval_date: date | None = None
    expiration_date: date | None = None


class PermitRead(BaseModel):
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
