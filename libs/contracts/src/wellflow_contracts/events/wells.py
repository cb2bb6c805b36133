"""Integration events published by the wells service (the asset registry).

Events about one lease share the aggregate key ``wells.lease:<lease_id>`` and events about one well share
``wells.well:<well_id>`` (set by the producer), so registered, updated and status changed arrive in the
order they happened. Each event carries the facts consumers keep copies of (district, RRC lease number,
lease type; API number, status), so nobody needs to call back.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from wellflow_contracts.base import IntegrationEvent


class FieldRegistered(IntegrationEvent):
    """An oil or gas field was added to the organization's registry."""

    type: Literal["wells.field_registered.v1"] = "wells.field_registered.v1"
    field_id: UUID
    name: str
    code: str | None = None
    basin: str | None = None
    county: str | None = None
    state: str

    aggregate_field = "field_id"


class LeasePurchaser(BaseModel):
    """A purchaser or gatherer of one of the lease's products as named on its Form P-4, with its P-5 number."""

    product: Literal["oil", "condensate", "casinghead_gas", "gas_well_gas"]
    role: Literal["purchaser", "gatherer"]
    name: str
    p5_number: str = Field(description="the purchaser's or gatherer's RRC organization (P-5) number: 6 digits")
    effective_from: date | None = None
    effective_to: date | None = Field(default=None, description="exclusive; None while in effect")


class _LeaseFacts(IntegrationEvent):
    lease_id: UUID
    name: str
    rrc_district: str = Field(description="one of the 14 RRC districts: 01..10, 6E, 7B, 7C, 8A, 8B")
    rrc_lease_number: str | None = Field(
        default=None, description="RRC lease number; None while pending (report by API or permit number)"
    )
    lease_type: Literal["oil", "gas"]
    field_id: UUID | None = None
    county: str | None = None
    royalty_rate: Decimal | None = None
    effective_date: date | None = None
    expiration_date: date | None = None
    status: str
    purchasers: list[LeasePurchaser] = Field(
        default_factory=list, description="Form P-4 purchasers and gatherers per product"
    )

    aggregate_field = "lease_id"


class LeaseRegistered(_LeaseFacts):
    type: Literal["wells.lease_registered.v1"] = "wells.lease_registered.v1"


class LeaseUpdated(_LeaseFacts):
    """The lease's facts after a change (the whole picture, not a diff)."""

    type: Literal["wells.lease_updated.v1"] = "wells.lease_updated.v1"


class _WellFacts(IntegrationEvent):
    well_id: UUID
    name: str
    number: str | None = None
    api_number: str = Field(description="14 digits, no dashes")
    lease_id: UUID
    rrc_district: str
    rrc_lease_number: str | None = None
    lease_type: Literal["oil", "gas"]
    field_id: UUID | None = None
    county: str | None = None
    well_type: str
    purpose: str
    status: str
    gas_well_id: str | None = None
    is_horizontal: bool = False
    is_offshore: bool = False
    permit_number: str | None = Field(
        default=None,
        description="the well's drilling permit (W-1) number, if recorded: a pending lease without an RRC lease "
        "number is reported under it when no API number is at hand",
    )

    aggregate_field = "well_id"


class WellRegistered(_WellFacts):
    type: Literal["wells.well_registered.v1"] = "wells.well_registered.v1"


class WellUpdated(_WellFacts):
    """The well's facts after a change to its details (status changes are WellStatusChanged)."""

    type: Literal["wells.well_updated.v1"] = "wells.well_updated.v1"


class WellStatusChanged(IntegrationEvent):
    """A well moved along its lifecycle, e.g. producing -> shut_in (allocation must stop giving it volume)."""

    type: Literal["wells.well_status_changed.v1"] = "wells.well_status_changed.v1"
    well_id: UUID
    api_number: str
    lease_id: UUID
    from_status: str
    to_status: str
    effective_date: date
    reason: str | None = None
    changed_by: str

    aggregate_field = "well_id"


class TankFacts(BaseModel):
    tank_id: UUID
    number: str
    product: str = Field(description="oil or water")
    capacity_bbl: Decimal
    strapping: list[tuple[Decimal, Decimal]] = Field(description="(level in inches, barrels) rows, level 0 first")


class ConnectedWell(BaseModel):
    well_id: UUID
    api_number: str
    effective_from: date
    effective_to: date | None = Field(default=None, description="exclusive; None while connected")


class BatteryConfigured(IntegrationEvent):
    """A tank battery's whole configuration after a change: its tanks (with strapping) and the wells that flow
    into it, effective-dated (production allocates battery volumes to these wells)."""

    type: Literal["wells.battery_configured.v1"] = "wells.battery_configured.v1"
    battery_id: UUID
    name: str
    code: str | None = None
    lease_id: UUID | None = None
    field_id: UUID | None = None
    tanks: list[TankFacts]
    wells: list[ConnectedWell]

    aggregate_field = "battery_id"


class WellTestRecorded(IntegrationEvent):
    """A well test: the rates allocation uses to share battery volumes among the battery's wells."""

    type: Literal["wells.well_test_recorded.v1"] = "wells.well_test_recorded.v1"
    test_id: UUID
    well_id: UUID
    api_number: str
    lease_id: UUID
    test_date: date
    oil_bbl_per_day: Decimal
    gas_mcf_per_day: Decimal
    water_bbl_per_day: Decimal
    hours: Decimal
    recorded_by: str

    aggregate_field = "well_id"
