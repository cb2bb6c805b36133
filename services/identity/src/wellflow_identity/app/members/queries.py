"""Reading an organization's members and invitations."""

from __future__ import annotations

from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import PageOf

from ..context import Caller, Identity
from ..ports import Row
from .invitations import shaped


def member_not_found() -> NotFound:
    return NotFound("No member with this id in your organization.")


async def list_members(
    ctx: Identity, actor: Caller, *, role: str | None, status: str | None, limit: int, offset: int
) -> PageOf[Row]:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        return await uow.organizations.list_members(role=role, status=status, limit=limit, offset=offset)


async def get_member(ctx: Identity, actor: Caller, user_id: UUID) -> Row:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        member = await uow.organizations.get_member(user_id)
    if member is None:
        raise member_not_found()
    return member


async def list_invitations(ctx: Identity, actor: Caller, *, limit: int, offset: int) -> list[Row]:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        rows = await uow.invitations.list_newest(limit=limit, offset=offset)
    return [shaped(ctx, row) for row in rows]
