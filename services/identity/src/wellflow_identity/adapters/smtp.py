"""Mail through a mail server (SMTP), configured by ``SMTP_HOST`` and friends.

The standard library's ``smtplib`` runs in a thread (``asyncio.to_thread``): the event loop never waits on the
mail server. One connection per mail: identity sends a few a day (invitations, password links), not bulk.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from ..app.mail import Mail, MailNotSent


class SmtpMailer:
    delivers = True

    def __init__(
        self,
        host: str,
        port: int,
        *,
        sender: str,
        security: str = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.security, self.username, self.password, self.timeout = security, username, password, timeout

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
            with self._connect() as server:
                if self.security == "starttls":
                    server.starttls(context=ssl.create_default_context())
                if self.username:
                    server.login(self.username, self.password or "")
                server.send_message(self._message(mail))
        except (smtplib.SMTPException, OSError) as exc:
            raise MailNotSent(f"{self.host}:{self.port}: {exc}") from exc

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)
