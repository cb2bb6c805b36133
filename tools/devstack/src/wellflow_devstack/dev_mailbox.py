"""The dev stack's mailbox and SMS phone: `wellflow up` runs the notifications service against a local SMTP
sink (``MailCatcher`` on 127.0.0.1:8025) and the Twilio-compatible SMS stand-in (``SmsSink`` on 127.0.0.1:8026),
in a thread of its own. Every mail lands in ``.wellflow/mail/`` as an ``.eml`` file (open it in any mail
program) and every SMS in ``.wellflow/sms.log``; nothing leaves the machine.

It also gives identity and notifications the same ``INVITATION_SEAL_KEY`` (notifications' generated secret), so
invitations go out through notifications as in a deployment; the demo reads the invitation links from the
mailbox, as the invited people would.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from .mail_catcher import MailCatcher
from .sms_sink import SmsSink

SMTP_PORT = 8025
SMS_PORT = 8026
MAILBOX_ENV = "WELLFLOW_MAILBOX"
"""Set in `wellflow up`'s own process: where the demo loader finds the mail."""


class DevMailbox:
    def __init__(self, home: Path) -> None:
        self.folder = home / "mail"
        self.sms_log = home / "sms.log"
        self.sms = SmsSink(port=SMS_PORT)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self.error: BaseException | None = None

    def start(self) -> DevMailbox:
        self._thread = threading.Thread(target=self._run, name="dev-mailbox", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=10)
        if self.error is not None:
            raise RuntimeError(f"the dev mailbox could not start: {self.error}")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def notifications_env(self) -> dict[str, str]:
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(SMTP_PORT),
            "SMTP_SECURITY": "none",
            "MAIL_FROM": "WellFlow <no-reply@wellflow.localhost>",
            "SMS_API_BASE": self.sms.url,
            "SMS_ACCOUNT_SID": self.sms.account_sid,
            "SMS_AUTH_TOKEN": self.sms.auth_token,
            "SMS_FROM": "+15005550006",
        }

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start()
            self.error = exc
            self._ready.set()
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        async with MailCatcher(port=SMTP_PORT, folder=self.folder), self.sms:
            self._ready.set()
            seen = 0
            while not self._stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=0.5)
                for sms in self.sms.messages[seen:]:
                    with self.sms_log.open("a") as log:
                        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} to {sms.to}: {sms.body}\n")
                seen = len(self.sms.messages)


def wait_for_link(folder: Path, address: str, *, timeout: float = 60.0) -> str:
    """The console link in the newest mail to ``address`` in the mailbox folder (the demo's invitations)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.eml"), reverse=True) if folder.exists() else []:
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            if address.lower() in str(message["To"]).lower():
                return MailCatcher.link(message)  # type: ignore[arg-type]
        time.sleep(0.2)
    raise TimeoutError(f"no mail to {address} arrived in {folder}")
