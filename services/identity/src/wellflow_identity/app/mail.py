"""The mail identity sends (invitations, links to choose a new password) and the port it goes through.

``Mailer`` is the port: ``adapters/smtp.py`` delivers through a mail server configured by settings
(``SMTP_HOST``...); without one, ``LoggingMailer`` logs that nothing was sent (never the link: a log is read by
more people than the mailbox) and ``delivers`` is False, so the owner is shown the link to pass on instead.

Mail is sent after the transaction that made the token commits, never inside it (a slow mail server must not
hold rows locked). What happened is answered as a ``Delivery``: ``mailed``, ``not_mailed`` (no mail server: the
owner passes the link on), or ``mail_failed`` (the server refused or was unreachable: the owner sends again).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol
from urllib.parse import quote

log = logging.getLogger(__name__)

Delivery = Literal["mailed", "not_mailed", "mail_failed", "queued"]
"""``queued``: handed to the notifications service (``MemberInvited`` through the outbox), which mails it."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str


class MailNotSent(Exception):
    """The mail server refused the mail or could not be reached."""


class Mailer(Protocol):
    delivers: bool
    """True when mail really leaves (a mail server is configured)."""

    async def send(self, mail: Mail) -> None:
        """Raises ``MailNotSent`` when the mail server refuses it or cannot be reached."""


class LoggingMailer:
    """No mail server configured: says so in the log, with the recipient and subject only."""

    delivers = False

    async def send(self, mail: Mail) -> None:
        log.info("no mail server configured (SMTP_HOST): not sent to %s: %s", mail.to, mail.subject)


class LinkSealer(Protocol):
    """Seals an invitation link for the notifications service (``adapters/invitation_seal.py``): the link holds
    a single-use secret, and the event that carries it is read by more than notifications."""

    def seal(self, link: str, *, context: bytes) -> str: ...


async def deliver(mailer: Mailer, mail: Mail) -> Delivery:
    """Send ``mail`` and say what happened; a failure is logged, never raised (the token is already made)."""
    if not mailer.delivers:
        await mailer.send(mail)
        return "not_mailed"
    try:
        await mailer.send(mail)
    except MailNotSent as exc:
        log.warning("mail to %s not sent: %s", mail.to, exc)
        return "mail_failed"
    return "mailed"


def console_link(console_url: str | None, page: str, token: str) -> str:
    """The console's page (``reset``, ``accept``) with the token, e.g. ``https://wf.example.com/#/reset?token=...``."""
    base = (console_url or "").rstrip("/")
    return f"{base}/#/{page}?token={quote(token, safe='')}"


def _when(moment: datetime) -> str:
    return moment.strftime("%B %-d, %Y at %H:%M UTC")


def invitation_mail(
    *, to: str, organization: str, role: str, link: str, expires_at: datetime, invited_by: str | None
) -> Mail:
    by = f"{invited_by} invites you" if invited_by else "You are invited"
    text = (
        f"{by} to join {organization} on WellFlow as {role}.\n\n"
        f"Open this link to choose your password and join:\n{link}\n\n"
        f"The link works once and expires {_when(expires_at)}. If you did not expect it, ignore this mail.\n"
    )
    return Mail(to=to, subject=f"Join {organization} on WellFlow", text=text)


def password_link_mail(*, to: str, full_name: str, link: str, expires_at: datetime, made_by: str | None) -> Mail:
    why = (
        f"{made_by} made you a new sign-in link for WellFlow."
        if made_by
        else "Someone (we hope you) asked to choose a new WellFlow password for this address."
    )
    text = (
        f"Hello {full_name},\n\n{why}\n\n"
        f"Open this link to choose a new password:\n{link}\n\n"
        f"The link works once and expires {_when(expires_at)}. Choosing a new password signs you out on every "
        "device. If you did not ask for it, ignore this mail: your password stays as it is.\n"
    )
    return Mail(to=to, subject="Choose a new WellFlow password", text=text)
