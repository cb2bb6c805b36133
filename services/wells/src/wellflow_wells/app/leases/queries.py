"""Read one lease, or a filtered, sorted page of them."""

from __future__ import annotations

from uuid import UUID

from wellflow_servicekit.kernel import Actor, PageOf

from ..ports import Row
from ..registry import Registry
from .common import find_lease


async def get_lease(registry: Registry, actor: Actor, lease_id: UUID) -> Row:
    async with registry.uow(actor) as uow:
        return await find_lease(uow, lease_id)


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
) -> PageOf[Row]:
    async with registry.uow(actor) as uow:
        return await uow.leases.search(
            field_id=field_id,
            rrc_district=rrc_district,
            county=county,
            status=status,
            q=q,
            sort=sort,
            limit=limit,
            offset=offset,
        )
