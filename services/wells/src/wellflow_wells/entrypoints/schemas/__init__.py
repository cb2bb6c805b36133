"""Request and response bodies, one module per area. Input rules that need no database (API number structure,
RRC district, enums, ranges) are checked here, so a bad value answers 422 naming the field before anything is
written. Names: ``XCreate`` (a POST body), ``XUpdate`` (a PATCH body), ``XRead`` (an answer); lists answer
``wellflow_servicekit.pages.Page[XRead]``."""

from __future__ import annotations

from .batteries import (
    BatteryCreate,
    BatteryRead,
    BatterySummaryRead,
    ConnectionCreate,
    ConnectionRead,
    ConnectionUpdate,
    TankCreate,
    TankRead,
    TankVolumeRead,
)
from .fields import FieldCreate, FieldRead
from .imports import ImportReportRead, ImportRowErrorRead, ImportRowRead
from .leases import LeaseCreate, LeaseRead, LeaseUpdate
from .operations import EquipmentCreate, EquipmentRead, PermitCreate, PermitRead, WellTestCreate, WellTestRead
from .wells import (
    StatusChangeCreate,
    StatusHistoryRead,
    WellCreate,
    WellRead,
    WellUpdate,
)

__all__ = [
    "BatteryCreate",
    "BatteryRead",
    "BatterySummaryRead",
    "ConnectionCreate",
    "ConnectionRead",
    "ConnectionUpdate",
    "EquipmentCreate",
    "EquipmentRead",
    "FieldCreate",
    "FieldRead",
    "ImportReportRead",
    "ImportRowErrorRead",
    "ImportRowRead",
    "LeaseCreate",
    "LeaseRead",
    "LeaseUpdate",
    "PermitCreate",
    "PermitRead",
    "StatusChangeCreate",
    "StatusHistoryRead",
    "TankCreate",
    "TankRead",
    "TankVolumeRead",
    "WellCreate",
    "WellRead",
    "WellTestCreate",
    "WellTestRead",
    "WellUpdate",
]
