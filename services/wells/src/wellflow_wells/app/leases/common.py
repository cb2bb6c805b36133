"""What the lease use cases share: the event, the date rule, the duplicate-number conflict."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import invalid

from ..ports import Row, WellsWork

LEASE_FACTS = (
    "name",
    "rrc_district",
    "rrc_lease_number",
    "lease_type",
    "field_id",
    "county",
    "royalty_rate",
    "effective_date",
    "expiration_date",
    "status",
)


def lease_event(cls: type, organization_id: UUID, row: Mapping[str, Any]) -> Any:
    facts = {k: row[k] for k in LEASE_FACTS}
    return cls(tenant_id=organization_id, lease_id=row["id"], purchasers=row.get("purchasers") or [], **facts)


def stored_purchasers(data: Mapping[str, Any]) -> dict[str, Any]:
    """The Form P-4 list as stored (JSON: dates as ISO text), when the body gives one; {} otherwise."""
    if "purchasers" not in data:
        return {}
    items = data["purchasers"] or []
    return {
        "purchasers": [
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in dict(item).items()} for item in items
        ]
    }


def duplicate_lease() -> Conflict:
    return Conflict(
        "Another lease in this RRC district has this lease number.",
        slug="duplicate-lease",
        errors=[{"field": "body.rrc_lease_number", "message": "already used in this RRC district"}],
    )


def check_lease_dates(row: Mapping[str, Any]) -> None:
    start, end = row.get("effective_date"), row.get("expiration_date")
    if start is not None and end is not None and end < start:
        raise invalid("body.expiration_date", "the expiration date is before the effective date")


async def find_lease(uow: WellsWork, lease_id: UUID, *, lock: bool = False) -> Row:
    row = await uow.leases.get(lease_id, lock=lock)
    if row is None:
        raise NotFound(f"No lease {lease_id}.")
    return row
