"""One mail to a mail server (SMTP), as the services that mail configure it (``SMTP_HOST`` and friends).

``deliver`` blocks (the standard library's ``smtplib``): a service runs it in a thread (``asyncio.to_thread``)
so the event loop never waits on the mail server. One connection per mail. It raises what ``smtplib`` raises
(``smtplib.SMTPException``, ``OSError``); what a refusal means is the calling service's to decide.
"""

from __future__ import annotations

import functools
import smtplib
import socket
import ssl
from email.message import EmailMessage


class SmtpClient:
    """A mail server's address, security (``starttls``, ``tls`` or ``none``), login and timeout, and the
    sender address the mails name in ``From``."""

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

    def deliver(self, message: EmailMessage) -> None:
        """Connect, secure the connection as configured, log in when a username is set and send ``message``."""
        with self._connect() as server:
            if self.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if self.username:
                server.login(self.username, self.password or "")
            server.send_message(message)

    def _connect(self) -> smtplib.SMTP:
        name = _local_name()
        if self.security == "tls":
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(self.host, self.port, local_hostname=name, timeout=self.timeout, context=context)
        return smtplib.SMTP(self.host, self.port, local_hostname=name, timeout=self.timeout)


@functools.cache
def _local_name() -> str:
    """The name said in EHLO, looked up once: smtplib would ask the resolver (socket.getfqdn) on every connection,
    which costs up to a resolver timeout each mail where reverse DNS is slow."""
    return socket.getfqdn()
