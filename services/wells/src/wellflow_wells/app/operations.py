"""Well tests, equipment and permits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.events.wells import WellTestRecorded
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, invalid

from ..adapters.tables import batteries, equipment, permits, well_tests, wells
from ..domain.rules import PERMITS_IN_FORCE, TESTABLE_STATUSES
from .registry import Registry, fetch_one, fetch_page, well_key, well_row


async def _check_well(uow: UnitOfWork, well_id: UUID | None) -> None:
    if well_id is not None and await uow.connection.scalar(select(wells.c.id).where(wells.c.id == well_id)) is None:
        raise invalid("body.well_id", f"no well {well_id} in this organization")


async def _check_battery(uow: UnitOfWork, battery_id: UUID | None) -> None:
    if battery_id is not None:
        found = await uow.connection.scalar(select(batteries.c.id).where(batteries.c.id == battery_id))
        if found is None:
            raise invalid("body.battery_id", f"no tank battery {battery_id} in this organization")


async def _register_attached(
    registry: Registry, actor: Actor, table: Table, data: Mapping[str, Any], duplicate: Conflict
) -> dict[str, Any]:
    """Insert a row that may sit on a well and/or a tank battery of this organization; a unique-key clash
    answers ``duplicate``."""
    try:
        async with registry.uow(actor) as uow:
            await _check_well(uow, data.get("well_id"))
            await _check_battery(uow, data.get("battery_id"))
            return await fetch_one(
                uow,
                insert(table)
                .values(**data, organization_id=actor.organization_id, id=uuid7(), created_at=registry.clock())
                .returning(table),
            )
    except IntegrityError:
        raise duplicate from None


async def _get(registry: Registry, actor: Actor, table: Table, row_id: UUID, what: str) -> dict[str, Any]:
    async with registry.uow(actor) as uow:
        row = (await uow.connection.execute(select(table).where(table.c.id == row_id))).mappings().first()
    if row is None:
        raise NotFound(f"No {what} {row_id}.")
    return dict(row)


# ---------------------------------------------------------------- well tests


async def record_well_test(registry: Registry, actor: Actor, well_id: UUID, data: Mapping[str, Any]) -> dict[str, Any]:
    now = registry.clock()
    if data["test_date"] > now.date():
        raise invalid("body.test_date", "a well test cannot be dated in the future")
    async with registry.uow(actor) as uow:
        well = await well_row(uow, well_id)
        if well["status"] not in TESTABLE_STATUSES:
            raise Conflict(
                f"A {well['status']} well cannot be tested; tests are taken on "
                f"{', '.join(sorted(TESTABLE_STATUSES))} wells.",
                slug="well-not-testable",
            )
        row = await fetch_one(
            uow,
            insert(well_tests)
            .values(
                **data,
                organization_id=actor.organization_id,
                id=uuid7(),
                well_id=well_id,
                recorded_by=actor.id,
                recorded_at=now,
            )
            .returning(well_tests),
        )
        uow.record(
            WellTestRecorded(
                tenant_id=actor.organization_id,
                test_id=row["id"],
                well_id=well_id,
                api_number=well["api_number"],
                lease_id=well["lease_id"],
                test_date=row["test_date"],
                oil_bbl_per_day=row["oil_bbl_per_day"],
                gas_mcf_per_day=row["gas_mcf_per_day"],
                water_bbl_per_day=row["water_bbl_per_day"],
                hours=row["hours"],
                recorded_by=actor.id,
            ),
            aggregate_key=well_key(well_id),
        )
    return row


async def list_well_tests(registry: Registry, actor: Actor, well_id: UUID, *, limit: int, offset: int) -> dict:
    async with registry.uow(actor) as uow:
        await well_row(uow, well_id)
    query = (
        select(well_tests, func.count().over().label("_total"))
        .where(well_tests.c.well_id == well_id)
        .order_by(well_tests.c.test_date.desc(), well_tests.c.id.desc())
    )
    return await fetch_page(registry, actor, query, limit, offset)


# ---------------------------------------------------------------- equipment


async def register_equipment(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    if data.get("well_id") is None and data.get("battery_id") is None:
        raise invalid("body.well_id", "equipment sits on a well or a tank battery: give well_id or battery_id")
    duplicate = Conflict(
        "Another piece of equipment has this tag.",
        slug="duplicate-equipment-tag",
        errors=[{"field": "body.tag", "message": "already used"}],
    )
    return await _register_attached(registry, actor, equipment, data, duplicate)


async def get_equipment(registry: Registry, actor: Actor, equipment_id: UUID) -> dict[str, Any]:
    return await _get(registry, actor, equipment, equipment_id, "equipment")


async def list_equipment(
    registry: Registry,
    actor: Actor,
    *,
    well_id: UUID | None,
    battery_id: UUID | None,
    equipment_type: str | None,
    maintenance_due_by: Any,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    query = select(equipment, func.count().over().label("_total"))
    if well_id is not None:
        query = query.where(equipment.c.well_id == well_id)
    if battery_id is not None:
        query = query.where(equipment.c.battery_id == battery_id)
    if equipment_type is not None:
        query = query.where(equipment.c.equipment_type == equipment_type)
    if maintenance_due_by is not None:
        query = query.where(equipment.c.next_maintenance_date <= maintenance_due_by)
    return await fetch_page(registry, actor, query.order_by(equipment.c.tag, equipment.c.id), limit, offset)


# ---------------------------------------------------------------- permits


async def register_permit(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    start, end = data.get("approval_date"), data.get("expiration_date")
    if start is not None and end is not None and end < start:
        raise invalid("body.expiration_date", "the expiration date is before the approval date")
    duplicate = Conflict(
        "This agency's permit number is already registered.",
        slug="duplicate-permit",
        errors=[{"field": "body.permit_number", "message": "already registered for this agency"}],
    )
    return await _register_attached(registry, actor, permits, data, duplicate)


async def get_permit(registry: Registry, actor: Actor, permit_id: UUID) -> dict[str, Any]:
    return await _get(registry, actor, permits, permit_id, "permit")


async def list_permits(
    registry: Registry,
    actor: Actor,
    *,
    well_id: UUID | None,
    status: str | None,
    permit_type: str | None,
    expiring_within_days: int | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """``expiring_within_days``: permits in force (approved, renewed) whose expiration date falls between
    today and today + N days, soonest first."""
    query = select(permits, func.count().over().label("_total"))
    order = [permits.c.permit_number, permits.c.id]
    if well_id is not None:
        query = query.where(permits.c.well_id == well_id)
    if status is not None:
        query = query.where(permits.c.status == status)
    if permit_type is not None:
        query = query.where(permits.c.permit_type == permit_type)
    if expiring_within_days is not None:
        today = registry.clock().date()
        query = query.where(
            permits.c.status.in_([s.value for s in PERMITS_IN_FORCE]),
            permits.c.expiration_date >= today,
            permits.c.expiration_date <= today + timedelta(days=expiring_within_days),
        )
        order = [permits.c.expiration_date, *order]
    return await fetch_page(registry, actor, query.order_by(*order), limit, offset)
