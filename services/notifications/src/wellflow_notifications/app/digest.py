"""The daily digest: a member who chose it (an owner by default) gets one mail a day, at their local digest hour,
listing the notifications whose emails were held for it, instead of one mail each.

The digest is a delivery like any other, keyed ``digest:<member>:<local date>``: one a day, however many rounds
or replicas look. The held deliveries are marked ``digested`` with it, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor

from ..domain import messages
from ..domain.kinds import EMAIL
from .common import Notifications
from .delivery import system_actor
from .intake import new_delivery
from .ports import NotificationsWork, Row
from .preferences import preferences_of


async def digest_round(n: Notifications) -> int:
    """Make the digests that are due in every organization; the number made."""
    async with n.database.unit_of_work(None) as uow:
        tenants = await uow.tenants.organizations()
    made = 0
    for organization_id in tenants:
        async with n.uow(system_actor(organization_id)) as uow:
            now = n.clock()
            for member_id in await uow.deliveries.digest_due(now):
                made += await _digest_for(uow, n, member_id, now, force=False)
            if made:
                await uow.deliveries.wake()
    return made


async def send_my_digest(n: Notifications, actor: Actor) -> Row:
    """The caller's digest made now (not waiting for their digest hour): what it holds."""
    try:
        member_id = UUID(str(actor.id))
    except ValueError:
        raise NotFound("Only a member (not an API key) has a digest.") from None
    async with n.uow(actor) as uow:
        count = await _digest_for(uow, n, member_id, n.clock(), force=True)
        if count:
            await uow.deliveries.wake()
    return {"notifications": count}


async def _digest_for(uow: NotificationsWork, n: Notifications, member_id: UUID, now: datetime, *, force: bool) -> int:
    member = await uow.roster.member(member_id)
    if member is None or not member.get("email"):
        return 0
    prefs = preferences_of(member["role"], await uow.preferences.get(member_id))
    held = await uow.deliveries.held_for_digest(member_id, now + timedelta(days=2) if force else now)
    if not held:
        return 0
    organization = await uow.roster.organization()
    org_name = organization["name"] if organization else "your organization"
    items = [row["subject"].split("] ", 1)[-1] for row in held]
    day = prefs.digest_day(now)
    mail = messages.render(
        "digest",
        {
            "organization": org_name,
            "name": member.get("full_name") or member["email"],
            "day": day,
            "count": str(len(held)),
            "items": "\n".join(f"- {item}" for item in items),
            "link": n.link("notifications"),
            "preferences_link": n.link("notifications/preferences"),
        },
        html_blocks={"items_html": "\n".join(f"    <li>{messages.escape(item)}</li>" for item in items)},
    )
    key = f"digest:{member_id}:{day}" + (f":{now.isoformat()}" if force else "")
    digest = new_delivery(
        key,
        member_id,
        "digest",
        EMAIL,
        member["email"],
        now,
        prefs.release_at(now),
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
    )
    if not await uow.deliveries.add([digest]):
        return 0
    await uow.deliveries.mark([row["id"] for row in held], {"status": "digested", "finished_at": now})
    return len(held)
