"""What an owner (or a manager, an auditor) sees of the organization's deliveries: every email and SMS with its
state and attempts, the failed ones (the dead-letter view), a failed one sent again, and suppressed addresses."""

from __future__ import annotations

from uuid import UUID

from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, PageOf

from .common import Notifications
from .ports import Row

_HIDDEN = ("sealed",)


def _shown(row: Row) -> Row:
    return {key: value for key, value in row.items() if key not in _HIDDEN}


async def list_deliveries(
    n: Notifications,
    actor: Actor,
    *,
    status: str | None,
    channel: str | None,
    member_id: UUID | None,
    limit: int,
    offset: int,
) -> PageOf[Row]:
    async with n.uow(actor) as uow:
        page = await uow.deliveries.search(
            status=status, channel=channel, member_id=member_id, limit=limit, offset=offset
        )
    return PageOf([_shown(row) for row in page.items], page.total, page.limit, page.offset)


async def get_delivery(n: Notifications, actor: Actor, delivery_id: UUID) -> Row:
    async with n.uow(actor) as uow:
        row = await uow.deliveries.get(delivery_id)
        if row is None:
            raise NotFound("No delivery with this id in your organization.")
        return {**_shown(row), "attempts_made": await uow.deliveries.attempts(delivery_id)}


async def retry_delivery(n: Notifications, actor: Actor, delivery_id: UUID) -> Row:
    """A failed delivery tried again now (its attempts kept). Its address must not be suppressed."""
    now = n.clock()
    async with n.uow(actor) as uow:
        row = await uow.deliveries.get(delivery_id)
        if row is None:
            raise NotFound("No delivery with this id in your organization.")
        if row["status"] != "failed":
            raise Conflict(f"Only a failed delivery can be sent again; this one is {row['status']}.", slug="not-failed")
        if row.get("sealed") is None and row["kind"] == "invitation":
            raise Conflict(
                "An invitation's link is not kept after it fails; send the invitation again.", slug="link-gone"
            )
        if await uow.suppressions.suppressed(row["channel"], [row["address"]]):
            raise Conflict(
                "This address bounced or opted out; remove it from the suppressions first.", slug="address-suppressed"
            )
        await uow.deliveries.finish(
            delivery_id, {"status": "pending", "next_attempt_at": now, "finished_at": None, "created_at": now}
        )
        await uow.deliveries.wake()
        return _shown(await uow.deliveries.get(delivery_id) or row)


async def list_suppressions(n: Notifications, actor: Actor, *, limit: int, offset: int) -> PageOf[Row]:
    async with n.uow(actor) as uow:
        return await uow.suppressions.search(limit=limit, offset=offset)


async def remove_suppression(n: Notifications, actor: Actor, channel: str, address: str) -> None:
    async with n.uow(actor) as uow:
        if not await uow.suppressions.remove(channel, address):
            raise NotFound("This address is not suppressed.")
