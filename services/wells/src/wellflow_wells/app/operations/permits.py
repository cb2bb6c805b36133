"""Permits: an agency's permit number (unique per agency), on a well or battery, and those expiring soon."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from ...domain.rules import PERMITS_IN_FORCE
from ..ports import Row, WellsWork
from ..registry import Registry
from .attached import get_attached, register_attached


def _store(uow: WellsWork) -> Any:
    return uow.permits


async def register_permit(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> Row:
    start, end = data.get("approval_date"), data.get("expiration_date")
    if start is not None and end is not None and end < start:
        raise invalid("body.expiration_date", "the expiration date is before the approval date")
    duplicate = Conflict(
        "This agency's permit number is already registered.",
        slug="duplicate-permit",
        errors=[{"field": "body.permit_number", "message": "already registered for this agency"}],
    )
    return await register_attached(registry, actor, _store, data, duplicate)


async def get_permit(registry: Registry, actor: Actor, permit_id: UUID) -> Row:
    return await get_attached(registry, actor, _store, permit_id, "permit")


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
) -> PageOf[Row]:
    """``expiring_within_days``: permits in force (approved, renewed) whose expiration date falls between
    today and today + N days, soonest first."""
    expiring = None
    if expiring_within_days is not None:
        today = registry.clock().date()
        expiring = ([s.value for s in PERMITS_IN_FORCE], today, today + timedelta(days=expiring_within_days))
    async with registry.uow(actor) as uow:
        return await uow.permits.search(
            well_id=well_id,
            status=status,
            permit_type=permit_type,
            in_force_expiring=expiring,
            limit=limit,
            offset=offset,
        )
