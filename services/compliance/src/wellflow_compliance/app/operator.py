"""The organization and its leases as the RRC knows them: operator number (Form P-5), lease identifiers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.database import UnitOfWork
from wellflow_texas.form_pr import is_valid_operator_number

from ..adapters.tables import leases, operators, wells
from ..domain.form_pr import LeaseFacts, WellFacts, lease_identifier
from .common import Actor, Compliance, invalid


async def get_operator(compliance: Compliance, actor: Actor) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        row = (await uow.connection.execute(select(operators))).one_or_none()
    if row is None:
        return {"name": None, "rrc_operator_number": None, "source": None, "updated_by": None, "updated_at": None}
    return {k: v for k, v in row._mapping.items() if k != "organization_id"}


async def set_operator(compliance: Compliance, actor: Actor, number: str, name: str | None) -> dict[str, Any]:
    """The organization's RRC operator number (Form P-5), when sign-up did not carry it or it changed."""
    number = number.strip()
    if not is_valid_operator_number(number):
        raise invalid("body.rrc_operator_number", f"{number!r} is not an RRC operator number: it has exactly 6 digits.")
    now = compliance.clock()
    values = {"rrc_operator_number": number, "source": "manual", "updated_by": actor.id, "updated_at": now}
    if name is not None:
        values["name"] = name
    async with compliance.uow(actor) as uow:
        statement = pg_insert(operators).values(organization_id=actor.organization_id, **values)
        await uow.connection.execute(statement.on_conflict_do_update(index_elements=["organization_id"], set_=values))
    return await get_operator(compliance, actor)


async def operator_number(uow: UnitOfWork) -> tuple[str | None, str | None]:
    row = (await uow.connection.execute(select(operators.c.name, operators.c.rrc_operator_number))).one_or_none()
    return (row.name, row.rrc_operator_number) if row else (None, None)


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
    conditions = []
    if rrc_district is not None:
        conditions.append(leases.c.rrc_district == rrc_district)
    if pending is not None:
        conditions.append(leases.c.rrc_lease_number.is_(None) if pending else leases.c.rrc_lease_number.is_not(None))
    if lease_type is not None:
        conditions.append(leases.c.lease_type == lease_type)
    async with compliance.uow(actor) as uow:
        rows = (
            await uow.connection.execute(
                select(leases).where(*conditions).order_by(leases.c.name, leases.c.id).limit(limit).offset(offset)
            )
        ).all()
        total = (await uow.connection.execute(select(func.count()).select_from(leases).where(*conditions))).scalar_one()
        well_rows = (
            await uow.connection.execute(select(wells).where(wells.c.lease_id.in_([row.id for row in rows])))
        ).all()
    by_lease: dict[Any, list[Any]] = {}
    for well in well_rows:
        by_lease.setdefault(well.lease_id, []).append(well)
    items = []
    for row in rows:
        facts = LeaseFacts(
            row.id,
            row.name,
            row.rrc_district,
            row.rrc_lease_number,
            row.lease_type,
            row.status,
            row.county,
            tuple(WellFacts(w.id, w.api_number, w.status, w.gas_well_id) for w in by_lease.get(row.id, [])),
        )
        kind, identifier = lease_identifier(facts)
        items.append(
            {
                "id": row.id,
                "name": row.name,
                "rrc_district": row.rrc_district,
                "rrc_lease_number": row.rrc_lease_number,
                "lease_type": row.lease_type,
                "status": row.status,
                "reported_as": {"kind": kind, "identifier": identifier},
                "wells": [
                    {"id": w.id, "api_number": w.api_number, "gas_well_id": w.gas_well_id, "status": w.status}
                    for w in by_lease.get(row.id, [])
                ],
            }
        )
    return {"items": items, "total": total, "limit": limit, "offset": offset}
