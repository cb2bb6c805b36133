"""Mail through a mail server (SMTP), configured by ``SMTP_HOST`` and friends.

The standard library's ``smtplib`` runs in a thread (``asyncio.to_thread``): the event loop never waits on the
mail server. One connection per mail (``wellflow_servicekit.smtp``): identity sends a few a day (invitations,
password links), not bulk.
"""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from wellflow_servicekit.smtp import SmtpClient

from ..app.mail import Mail, MailNotSent


class SmtpMailer(SmtpClient):
    delivers = True

    async def send(self, mail: Mail) -> None:
        await asyncio.to_thread(self._send_now, mail)

    def _message(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = make_msgid(domain="wellflow")
        message.set_content(mail.text)
        return message

    def _send_now(self, mail: Mail) -> None:
        try:
            self.deliver(self._message(mail))
        except (smtplib.SMTPException, OSError) as exc:
            raise MailNotSent(f"{self.host}:{self.port}: {exc}") from exc
