"""What the well use cases share: the event facts, the gas-well-id rule, the lease check and the
duplicate-API-number conflict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import invalid

from ...domain.rules import WellType
from ..ports import Row, WellsWork

WELL_FACTS = ("name", "number", "api_number", "lease_id", "field_id", "county", "well_type", "purpose", "status")


def well_event(cls: type, organization_id: UUID, well: Mapping[str, Any], lease: Mapping[str, Any]) -> Any:
    return cls(
        tenant_id=organization_id,
        well_id=well["id"],
        rrc_district=lease["rrc_district"],
        rrc_lease_number=lease["rrc_lease_number"],
        lease_type=lease["lease_type"],
        gas_well_id=well.get("gas_well_id"),
        permit_number=well.get("permit_number"),
        is_horizontal=well["is_horizontal"],
        is_offshore=well["is_offshore"],
        **{k: well.get(k) for k in WELL_FACTS},
    )


def check_gas_well_id(row: Mapping[str, Any]) -> None:
    if row.get("gas_well_id") and row["well_type"] not in (WellType.GAS, WellType.OIL_GAS):
        raise invalid("body.gas_well_id", "only a gas well has an RRC gas well id")


async def lease_for_well(uow: WellsWork, lease_id: UUID) -> Row:
    """The lease a well (or battery) names: one of this organization's, else 422 on ``body.lease_id``."""
    lease = await uow.leases.get(lease_id)
    if lease is None:
        raise invalid("body.lease_id", f"no lease {lease_id} in this organization")
    return lease


def duplicate_api() -> Conflict:
    return Conflict(
        "A well with this API number is already registered in this organization.",
        slug="duplicate-api-number",
        errors=[{"field": "body.api_number", "message": "already registered"}],
    )


async def find_well(uow: WellsWork, well_id: UUID, *, lock: bool = False) -> Row:
    row = await uow.wells.get(well_id, lock=lock)
    if row is None:
        raise NotFound(f"No well {well_id}.")
    return row
