"""The bell in the console: a member's own notifications, read and unread."""

from __future__ import annotations

from uuid import UUID

from wellflow_servicekit.kernel import Actor, PageOf

from .common import Notifications
from .ports import Row


def _member_id(actor: Actor) -> UUID | None:
    try:
        return UUID(str(actor.id))
    except ValueError:
        return None  # an API key: it has no notifications of its own


async def list_notifications(
    n: Notifications, actor: Actor, *, unread: bool | None, kind: str | None, limit: int, offset: int
) -> tuple[PageOf[Row], int]:
    member_id = _member_id(actor)
    if member_id is None:
        return PageOf([], 0, limit, offset), 0
    async with n.uow(actor) as uow:
        page = await uow.in_app.search(member_id, unread=unread, kind=kind, limit=limit, offset=offset)
        return page, await uow.in_app.unread_count(member_id)


async def unread_count(n: Notifications, actor: Actor) -> int:
    member_id = _member_id(actor)
    if member_id is None:
        return 0
    async with n.uow(actor) as uow:
        return await uow.in_app.unread_count(member_id)


async def mark(n: Notifications, actor: Actor, ids: list[UUID] | None, *, read: bool) -> int:
    """Mark ``ids`` (all of the member's when None) read or unread; the number changed. Another member's ids
    (or another organization's) change nothing."""
    member_id = _member_id(actor)
    if member_id is None:
        return 0
    async with n.uow(actor) as uow:
        return await uow.in_app.mark_read(member_id, ids, n.clock(), read=read)
