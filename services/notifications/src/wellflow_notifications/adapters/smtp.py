"""Email through a mail server (SMTP), configured by ``SMTP_HOST`` and friends.

The standard library's ``smtplib`` runs in a thread (``asyncio.to_thread``): the event loop never waits on the
mail server (``wellflow_servicekit.smtp`` connects, secures, logs in and sends). A mail is
``multipart/alternative`` (text, then HTML). Its ``Message-ID`` is derived from the delivery's key, so a mail sent
again after a crash between sending and recording it carries the same id and mail clients show it once.

What the server answers decides what happens next (RFC 5321 section 4.2.1): a 5yz reply to the recipient or the
data is a permanent refusal (the address bounced: it is suppressed; each mail has one recipient), a 5yz reply to
our sender address fails the mail without suppressing anyone, a 4yz reply or a lost connection is transient
(tried again later).
"""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
from email import policy
from email.message import EmailMessage

from wellflow_servicekit.smtp import SmtpClient

from ..app.ports import Outgoing, SendResult

# Header lines up to RFC 5322's limit (998) rather than folded at 78: a folded subject reads back with a
# leading space in some clients.
_POLICY = policy.default.clone(max_line_length=998)


def message_id(key: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@notifications.wellflow>"


class SmtpSender(SmtpClient):
    channel = "email"

    async def send(self, message: Outgoing) -> SendResult:
        return await asyncio.to_thread(self._send_now, message)

    def compose(self, message: Outgoing) -> EmailMessage:
        mail = EmailMessage(policy=_POLICY)
        mail["From"] = self.sender
        mail["To"] = message.address
        mail["Subject"] = message.subject
        mail["Message-ID"] = message_id(message.key)
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
        mail.set_content(message.text)
        if message.html:
            mail.add_alternative(message.html, subtype="html")
        return mail

    def _send_now(self, message: Outgoing) -> SendResult:
        mail = self.compose(message)
        try:
            self.deliver(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            return _refused(code, reply)
        except smtplib.SMTPDataError as exc:
            return _refused(exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPSenderRefused as exc:  # our sender address: nothing to hold against the recipient
            failed = _refused(exc.smtp_code, exc.smtp_error)
            return SendResult(sent=False, error=failed.error, permanent=failed.permanent, suppress=False)
        except (smtplib.SMTPException, OSError) as exc:
            return SendResult(sent=False, error=f"{self.host}:{self.port}: {exc}")
        return SendResult(sent=True, provider_id=mail["Message-ID"])


def _refused(code: int, reply: bytes | str) -> SendResult:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    return SendResult(sent=False, error=f"{code} {text}", permanent=500 <= code < 600)
