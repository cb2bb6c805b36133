"""The demo's notifications: invitations read from the dev mailbox (as the invited people would), and the demo
owner's morning digest of the alerts the demo raised, mailed to the dev mailbox (docs/notifications.md)."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .demo_client import Api
from .dev_mailbox import MAILBOX_ENV, wait_for_link


async def invitation_token(invite: dict[str, object], email: str) -> str:
    """The token of an invitation: in the answer when identity shows it (no mail), else in the mail
    notifications sent to ``email`` (the dev mailbox)."""
    if invite.get("token"):
        return str(invite["token"])
    folder = os.environ.get(MAILBOX_ENV)
    if not folder:
        raise RuntimeError("the invitation was mailed, and there is no dev mailbox to read it from")
    link = await asyncio.to_thread(wait_for_link, Path(folder), email)
    return parse_qs(urlsplit(link).fragment.split("?", 1)[1])["token"][0]


async def morning_digest(owner: Api, *, wait: float = 30.0) -> str | None:
    """The owner's digest mailed now (what their 07:00 digest would hold); None without the notifications
    service. Waits for the demo's alerts to reach the owner's notifications first."""
    deadline = time.monotonic() + wait
    while True:
        answer = await owner.call(
            "count the owner's notifications", "GET", "/api/v1/notifications/unread-count", expect=(200, 404, 502, 503)
        )
        if answer.status_code != 200:
            return None  # no notifications service behind the gateway
        if answer.json()["unread"] or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    sent = await owner.json("mail the owner's morning digest", "POST", "/api/v1/notifications/digest")
    if not sent["notifications"]:
        return "morning digest: nothing waiting for it yet"
    return f"morning digest: {sent['notifications']} notifications mailed to the owner (see the dev mailbox)"
