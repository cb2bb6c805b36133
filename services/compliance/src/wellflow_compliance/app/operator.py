"""The organization and its leases as the RRC knows them: operator number (Form P-5), lease identifiers."""

from __future__ import annotations

from typing import Any

from wellflow_texas.form_pr import is_valid_operator_number

from ..domain.form_pr import LeaseFacts, WellFacts, lease_identifier
from .common import Actor, Compliance, invalid

NO_OPERATOR = {"name": None, "rrc_operator_number": None, "source": None, "updated_by": None, "updated_at": None}


async def get_operator(compliance: Compliance, actor: Actor) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        row = await uow.operators.get()
    return dict(NO_OPERATOR) if row is None else row


async def set_operator(compliance: Compliance, actor: Actor, number: str, name: str | None) -> dict[str, Any]:
    """The organization's RRC operator number (Form P-5), when sign-up did not carry it or it changed."""
    number = number.strip()
    if not is_valid_operator_number(number):
        raise invalid("body.rrc_operator_number", f"{number!r} is not an RRC operator number: it has exactly 6 digits.")
    now = compliance.clock()
    values: dict[str, Any] = {
        "rrc_operator_number": number,
        "source": "manual",
        "updated_by": actor.id,
        "updated_at": now,
    }
    if name is not None:
        values["name"] = name
    async with compliance.uow(actor) as uow:
        await uow.operators.save(values)
    return await get_operator(compliance, actor)


async def list_leases(
    compliance: Compliance,
    actor: Actor,
    *,
    rrc_district: str | None,
    pending: bool | None,
    lease_type: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """The leases as compliance reports them: how the RRC knows each (lease number, gas well id, or the API
    number a pending lease is reported under), from compliance's own copy of the registry."""
    async with compliance.uow(actor) as uow:
        page = await uow.leases.find(
            rrc_district=rrc_district, pending=pending, lease_type=lease_type, limit=limit, offset=offset
        )
        well_rows = await uow.wells.of_leases([row["id"] for row in page.items])
    by_lease: dict[Any, list[dict[str, Any]]] = {}
    for well in well_rows:
        by_lease.setdefault(well["lease_id"], []).append(well)
    items = [_lease_item(row, by_lease.get(row["id"], [])) for row in page.items]
    return {"items": items, "total": page.total, "limit": limit, "offset": offset}


def _well(w: dict[str, Any]) -> WellFacts:
    return WellFacts(w["id"], w["api_number"], w["status"], w["gas_well_id"], w.get("permit_number"))


def _lease_item(row: dict[str, Any], wells: list[dict[str, Any]]) -> dict[str, Any]:
    facts = LeaseFacts(
        row["id"],
        row["name"],
        row["rrc_district"],
        row["rrc_lease_number"],
        row["lease_type"],
        row["status"],
        row["county"],
        tuple(
            WellFacts(w["id"], w["api_number"], w["status"], w["gas_well_id"], w.get("permit_number")) for w in wells
        ),
    )
    kind, identifier = lease_identifier(facts)
    return {
        "id": row["id"],
        "name": row["name"],
        "rrc_district": row["rrc_district"],
        "rrc_lease_number": row["rrc_lease_number"],
        "lease_type": row["lease_type"],
        "status": row["status"],
        "reported_as": {"kind": kind, "identifier": identifier},
        "wells": [
            {
                "id": w["id"],
                "api_number": w["api_number"],
                "gas_well_id": w["gas_well_id"],
                "status": w["status"],
                "permit_number": w.get("permit_number"),
            }
            for w in wells
        ],
        "purchasers": row.get("purchasers") or [],
    }
