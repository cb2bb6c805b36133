"""Use cases of the asset registry: fields, leases, wells and their status. Each runs in one unit of work
(one transaction under the caller's tenant) and records its integration events in that same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, true, update
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.events.wells import (
    FieldRegistered,
    LeaseRegistered,
    LeaseUpdated,
    WellRegistered,
    WellStatusChanged,
    WellUpdated,
)
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import Database, UnitOfWork
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, Clock, invalid, utcnow
from wellflow_servicekit.repository import escape_like, order_by

from ..adapters.tables import battery_wells, fields, leases, well_status_history, wells
from ..domain.errors import IllegalTransition
from ..domain.lifecycle import WellStatus, check_transition
from ..domain.rules import WellType

MAX_PAGE = 200
WELL_SORTS = {
    "name": wells.c.name,
    "api_number": wells.c.api_number,
    "status": wells.c.status,
    "spud_date": wells.c.spud_date,
    "created_at": wells.c.created_at,
}
LEASE_SORTS = {"name": leases.c.name, "rrc_lease_number": leases.c.rrc_lease_number, "created_at": leases.c.created_at}


@dataclass
class Registry:
    database: Database
    clock: Clock = utcnow

    def uow(self, actor: Actor) -> UnitOfWork:
        return self.database.unit_of_work(actor.organization_id)


def well_key(well_id: UUID) -> str:
    return f"wells.well:{well_id}"


def lease_key(lease_id: UUID) -> str:
    return f"wells.lease:{lease_id}"


# ---------------------------------------------------------------- fields


async def register_field(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    now = registry.clock()
    row = {**data, "organization_id": actor.organization_id, "id": uuid7(), "created_at": now, "updated_at": now}
    try:
        async with registry.uow(actor) as uow:
            row = await fetch_one(uow, insert(fields).values(row).returning(fields))
            uow.record(
                FieldRegistered(
                    tenant_id=actor.organization_id,
                    field_id=row["id"],
                    **{k: row.get(k) for k in ("name", "code", "basin", "county", "state")},
                )
            )
    except IntegrityError:
        raise Conflict(
            "A field with this code already exists.",
            slug="duplicate-field",
            errors=[{"field": "body.code", "message": "already used by another field"}],
        ) from None
    return row


async def get_field(registry: Registry, actor: Actor, field_id: UUID) -> dict[str, Any]:
    async with registry.uow(actor) as uow:
        row = (await uow.connection.execute(select(fields).where(fields.c.id == field_id))).mappings().first()
    if row is None:
        raise NotFound(f"No field {field_id}.")
    return dict(row)


async def list_fields(registry: Registry, actor: Actor, *, limit: int, offset: int) -> dict[str, Any]:
    query = select(fields, func.count().over().label("_total")).order_by(fields.c.name, fields.c.id)
    return await fetch_page(registry, actor, query, limit, offset)


# ---------------------------------------------------------------- leases


async def check_field(uow: UnitOfWork, field_id: UUID | None, name: str = "body.field_id") -> None:
    if field_id is None:
        return
    found = await uow.connection.scalar(select(fields.c.id).where(fields.c.id == field_id))
    if found is None:
        raise invalid(name, f"no field {field_id} in this organization")


def _lease_event(cls: type, organization_id: UUID, row: Mapping[str, Any]) -> Any:
    return cls(
        tenant_id=organization_id,
        lease_id=row["id"],
        **{
            k: row[k]
            for k in (
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
        },
    )


def _duplicate_lease() -> Conflict:
    return Conflict(
        "Another lease in this RRC district has this lease number.",
        slug="duplicate-lease",
        errors=[{"field": "body.rrc_lease_number", "message": "already used in this RRC district"}],
    )


def _check_lease_dates(row: Mapping[str, Any]) -> None:
    start, end = row.get("effective_date"), row.get("expiration_date")
    if start is not None and end is not None and end < start:
        raise invalid("body.expiration_date", "the expiration date is before the effective date")


async def register_lease(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    now = registry.clock()
    row = {**data, "organization_id": actor.organization_id, "id": uuid7(), "created_at": now, "updated_at": now}
    _check_lease_dates(row)
    try:
        async with registry.uow(actor) as uow:
            await check_field(uow, row.get("field_id"))
            row = await fetch_one(uow, insert(leases).values(row).returning(leases))
            uow.record(_lease_event(LeaseRegistered, actor.organization_id, row), aggregate_key=lease_key(row["id"]))
    except IntegrityError:
        raise _duplicate_lease() from None
    return row


async def get_lease(registry: Registry, actor: Actor, lease_id: UUID) -> dict[str, Any]:
    async with registry.uow(actor) as uow:
        return await _lease(uow, lease_id)


async def _lease(uow: UnitOfWork, lease_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    query = select(leases).where(leases.c.id == lease_id)
    if lock:
        query = query.with_for_update()
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        raise NotFound(f"No lease {lease_id}.")
    return dict(row)


async def update_lease(registry: Registry, actor: Actor, lease_id: UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    try:
        async with registry.uow(actor) as uow:
            row = await _lease(uow, lease_id, lock=True)
            row.update(changes, updated_at=registry.clock())
            _check_lease_dates(row)
            await check_field(uow, row.get("field_id"))
            row = await fetch_one(
                uow,
                update(leases)
                .where(leases.c.id == lease_id)
                .values({**changes, "updated_at": row["updated_at"]})
                .returning(leases),
            )
            uow.record(_lease_event(LeaseUpdated, actor.organization_id, row), aggregate_key=lease_key(lease_id))
    except IntegrityError:
        raise _duplicate_lease() from None
    return row


async def list_leases(
    registry: Registry,
    actor: Actor,
    *,
    field_id: UUID | None = None,
    rrc_district: str | None = None,
    county: str | None = None,
    status: str | None = None,
    q: str | None = None,
    sort: str = "name",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    conditions = []
    if field_id is not None:
        conditions.append(leases.c.field_id == field_id)
    if rrc_district is not None:
        conditions.append(leases.c.rrc_district == rrc_district)
    if county is not None:
        conditions.append(func.lower(leases.c.county) == county.lower())
    if status is not None:
        conditions.append(leases.c.status == status)
    if q:
        pattern = f"%{escape_like(q)}%"
        conditions.append(or_(leases.c.name.ilike(pattern), leases.c.rrc_lease_number.ilike(pattern)))
    query = select(leases, func.count().over().label("_total")).where(and_(true(), *conditions))
    query = query.order_by(*order_by(sort, LEASE_SORTS), leases.c.id)
    return await fetch_page(registry, actor, query, limit, offset)


# ---------------------------------------------------------------- wells

WELL_FACTS = ("name", "number", "api_number", "lease_id", "field_id", "county", "well_type", "purpose", "status")


def _well_event(cls: type, organization_id: UUID, well: Mapping[str, Any], lease: Mapping[str, Any]) -> Any:
    return cls(
        tenant_id=organization_id,
        well_id=well["id"],
        rrc_district=lease["rrc_district"],
        rrc_lease_number=lease["rrc_lease_number"],
        lease_type=lease["lease_type"],
        gas_well_id=well.get("gas_well_id"),
        is_horizontal=well["is_horizontal"],
        is_offshore=well["is_offshore"],
        **{k: well.get(k) for k in WELL_FACTS},
    )


def _check_gas_well_id(row: Mapping[str, Any]) -> None:
    if row.get("gas_well_id") and row["well_type"] not in (WellType.GAS, WellType.OIL_GAS):
        raise invalid("body.gas_well_id", "only a gas well has an RRC gas well id")


async def lease_for_well(uow: UnitOfWork, lease_id: UUID) -> dict[str, Any]:
    lease = (await uow.connection.execute(select(leases).where(leases.c.id == lease_id))).mappings().first()
    if lease is None:
        raise invalid("body.lease_id", f"no lease {lease_id} in this organization")
    return dict(lease)


def _duplicate_api() -> Conflict:
    return Conflict(
        "A well with this API number is already registered in this organization.",
        slug="duplicate-api-number",
        errors=[{"field": "body.api_number", "message": "already registered"}],
    )


async def register_well(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    try:
        async with registry.uow(actor) as uow:
            return await register_well_in(uow, registry.clock(), actor, data)
    except IntegrityError:
        raise _duplicate_api() from None


async def register_well_in(uow: UnitOfWork, now: datetime, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Register one well inside an open unit of work (the CSV import registers many in one)."""
    row = {
        "is_horizontal": False,
        "is_offshore": False,
        "status": WellStatus.PROPOSED.value,
        **data,
        "organization_id": actor.organization_id,
        "id": uuid7(),
        "created_at": now,
        "updated_at": now,
    }
    _check_gas_well_id(row)
    lease = await lease_for_well(uow, row["lease_id"])
    if row.get("field_id") is None:
        row["field_id"] = lease["field_id"]
    else:
        await check_field(uow, row["field_id"])
    if row.get("county") is None:
        row["county"] = lease["county"]
    taken = await uow.connection.scalar(select(wells.c.id).where(wells.c.api_number == row["api_number"]))
    if taken is not None:
        raise _duplicate_api()
    row = await fetch_one(uow, insert(wells).values(row).returning(wells))
    await uow.connection.execute(
        insert(well_status_history).values(
            organization_id=actor.organization_id,
            id=uuid7(),
            well_id=row["id"],
            from_status=None,
            to_status=row["status"],
            effective_date=now.date(),
            reason="registered",
            changed_by=actor.id,
            changed_at=now,
        )
    )
    uow.record(_well_event(WellRegistered, actor.organization_id, row, lease), aggregate_key=well_key(row["id"]))
    return row


async def well_row(uow: UnitOfWork, well_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    query = select(wells).where(wells.c.id == well_id)
    if lock:
        query = query.with_for_update()
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        raise NotFound(f"No well {well_id}.")
    return dict(row)


async def get_well(registry: Registry, actor: Actor, well_id: UUID) -> dict[str, Any]:
    async with registry.uow(actor) as uow:
        return await well_row(uow, well_id)


async def update_well(registry: Registry, actor: Actor, well_id: UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    try:
        async with registry.uow(actor) as uow:
            row = await well_row(uow, well_id, lock=True)
            row.update(changes, updated_at=registry.clock())
            _check_gas_well_id(row)
            lease = await lease_for_well(uow, row["lease_id"])
            await check_field(uow, row.get("field_id"))
            if "api_number" in changes:
                taken = await uow.connection.scalar(
                    select(wells.c.id).where(wells.c.api_number == row["api_number"], wells.c.id != well_id)
                )
                if taken is not None:
                    raise _duplicate_api()
            row = await fetch_one(
                uow,
                update(wells)
                .where(wells.c.id == well_id)
                .values({**changes, "updated_at": row["updated_at"]})
                .returning(wells),
            )
            uow.record(_well_event(WellUpdated, actor.organization_id, row, lease), aggregate_key=well_key(well_id))
    except IntegrityError:
        raise _duplicate_api() from None
    return row


DATE_ON_STATUS = {
    WellStatus.SPUDDED: "spud_date",
    WellStatus.COMPLETING: "completion_date",
    WellStatus.PRODUCING: "first_production_date",
    WellStatus.PLUGGED: "plugged_date",
}


async def change_status(
    registry: Registry,
    actor: Actor,
    well_id: UUID,
    *,
    to_status: str,
    effective_date: date | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    now = registry.clock()
    effective = effective_date or now.date()
    async with registry.uow(actor) as uow:
        row = await well_row(uow, well_id, lock=True)
        try:
            new = check_transition(row["status"], to_status)
        except IllegalTransition as exc:
            raise Conflict(
                exc.message,
                slug="illegal-status-transition",
                current=exc.current,
                requested=exc.requested,
                allowed=exc.allowed,
            ) from None
        changes: dict[str, Any] = {"status": new.value, "updated_at": now}
        date_column = DATE_ON_STATUS.get(new)
        if date_column is not None and row[date_column] is None:
            changes[date_column] = effective
        updated = await fetch_one(uow, update(wells).where(wells.c.id == well_id).values(changes).returning(wells))
        await uow.connection.execute(
            insert(well_status_history).values(
                organization_id=actor.organization_id,
                id=uuid7(),
                well_id=well_id,
                from_status=row["status"],
                to_status=new.value,
                effective_date=effective,
                reason=reason,
                changed_by=actor.id,
                changed_at=now,
            )
        )
        uow.record(
            WellStatusChanged(
                tenant_id=actor.organization_id,
                well_id=well_id,
                api_number=row["api_number"],
                lease_id=row["lease_id"],
                from_status=row["status"],
                to_status=new.value,
                effective_date=effective,
                reason=reason,
                changed_by=actor.id,
            ),
            aggregate_key=well_key(well_id),
        )
    return updated


async def status_history(registry: Registry, actor: Actor, well_id: UUID) -> list[dict[str, Any]]:
    async with registry.uow(actor) as uow:
        await well_row(uow, well_id)
        query = (
            select(well_status_history)
            .where(well_status_history.c.well_id == well_id)
            .order_by(well_status_history.c.changed_at, well_status_history.c.id)
        )
        return [dict(r) for r in (await uow.connection.execute(query)).mappings()]


async def list_wells(
    registry: Registry,
    actor: Actor,
    *,
    status: Sequence[str] = (),
    lease_id: UUID | None = None,
    field_id: UUID | None = None,
    battery_id: UUID | None = None,
    county: str | None = None,
    well_type: str | None = None,
    q: str | None = None,
    sort: str = "name",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    conditions = []
    if battery_id is not None:  # wells flowing into the battery now
        connected = select(battery_wells.c.well_id).where(
            battery_wells.c.battery_id == battery_id, battery_wells.c.effective_to.is_(None)
        )
        conditions.append(wells.c.id.in_(connected))
    if status:
        conditions.append(wells.c.status.in_(list(status)))
    if lease_id is not None:
        conditions.append(wells.c.lease_id == lease_id)
    if field_id is not None:
        conditions.append(wells.c.field_id == field_id)
    if county is not None:
        conditions.append(func.lower(wells.c.county) == county.lower())
    if well_type is not None:
        conditions.append(wells.c.well_type == well_type)
    if q:
        pattern = f"%{escape_like(q)}%"
        digits = "".join(ch for ch in q if ch.isdigit())
        text_match = [wells.c.name.ilike(pattern)]
        if digits:
            text_match.append(wells.c.api_number.like(f"%{digits}%"))
        conditions.append(or_(*text_match))
    query = select(wells, func.count().over().label("_total")).where(and_(true(), *conditions))
    query = query.order_by(*order_by(sort, WELL_SORTS), wells.c.id)
    return await fetch_page(registry, actor, query, limit, offset)


# ---------------------------------------------------------------- helpers


async def fetch_one(uow: UnitOfWork, statement: Any) -> dict[str, Any]:
    return dict((await uow.connection.execute(statement)).mappings().one())


async def fetch_page(registry: Registry, actor: Actor, query: Any, limit: int, offset: int) -> dict[str, Any]:
    limit = max(1, min(limit, MAX_PAGE))
    async with registry.uow(actor) as uow:
        rows = [dict(r) for r in (await uow.connection.execute(query.limit(limit).offset(offset))).mappings()]
        total = rows[0]["_total"] if rows else None
        if total is None:
            total = (
                0 if offset == 0 else await uow.connection.scalar(select(func.count()).select_from(query.subquery()))
            )
    for row in rows:
        row.pop("_total", None)
    return {"items": rows, "total": total, "limit": limit, "offset": offset}
