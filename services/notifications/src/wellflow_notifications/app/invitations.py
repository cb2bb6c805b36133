"""An invitation identity made becomes one email to the invited person, whatever their preferences (they are
not a member yet). The link inside stays sealed in the database (``deliveries.sealed``) and is opened only at
the moment the mail is handed to the mail server; the row forgets it once the mail is sent or given up."""

from __future__ import annotations

from typing import Any

from ..domain import messages
from ..domain.kinds import EMAIL
from .common import Notifications
from .delivery import LINK_PLACEHOLDER
from .intake import new_delivery
from .ports import NotificationsWork


def invitation_key(invitation_id: object, send_count: int) -> str:
    """The delivery's key, also the sealed link's associated data (identity seals with the same)."""
    return f"invitation:{invitation_id}:{send_count}"


async def queue_invitation(uow: NotificationsWork, n: Notifications, event: Any) -> int:
    now = n.clock()
    await uow.tenants.mark(event.tenant_id, now)
    by = f"{event.invited_by_name} invites you" if event.invited_by_name else "You are invited"
    mail = messages.render(
        "invitation",
        {
            "organization": event.organization_name,
            "role": event.role,
            "invited_by": by,
            "expires": event.expires_at.strftime("%B %-d, %Y at %H:%M UTC"),
            "link": LINK_PLACEHOLDER,
        },
    )
    key = invitation_key(event.invitation_id, event.send_count)
    row = new_delivery(
        key,
        None,
        "invitation",
        EMAIL,
        event.email,
        now,
        now,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        sealed=event.sealed_link,
    )
    if await uow.suppressions.suppressed(EMAIL, [event.email]):
        row.update(status="suppressed", finished_at=now, sealed=None, last_error="the address bounced before")
    made = await uow.deliveries.add([row])
    if made:
        await uow.deliveries.wake()
    return made
