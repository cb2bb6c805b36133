"""A tiny mail server for tests: speaks just enough SMTP (RFC 5321, no TLS, no auth) to receive what identity
mails, and keeps each message for the test to read (the invitation or password link in it).

    async with MailCatcher() as mail:          # listens on 127.0.0.1, a free port: mail.port
        ...                                    # identity: SMTP_HOST=127.0.0.1 SMTP_PORT=mail.port SMTP_SECURITY=none
        message = await mail.wait_for("lee@example.com")
        link = mail.link(message)

``refuse = True`` makes it answer 554 to every message (a mail server refusing: identity reports mail_failed).
"""

from __future__ import annotations

import asyncio
import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType

_LINK = re.compile(r"https?://\S+#/\w+\?token=\S+")


class MailCatcher:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, folder: Path | None = None) -> None:
        """``folder``: also write each message there as ``<time>-<n>.eml`` (the dev stack's mailbox)."""
        self.host = host
        self.port = port
        self.folder = folder
        self.messages: list[EmailMessage] = []
        self.refuse = False
        self._server: asyncio.Server | None = None
        self._arrived = asyncio.Condition()

    async def __aenter__(self) -> MailCatcher:
        self._server = await asyncio.start_server(self._session, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    async def wait_for(self, address: str, *, count: int = 1, timeout: float = 10.0) -> EmailMessage:
        """The ``count``-th message to ``address``, waiting for it to arrive."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.to(address)) >= count), timeout)
        return self.to(address)[count - 1]

    @staticmethod
    def link(message: EmailMessage) -> str:
        """The console link (``.../#/reset?token=...`` or ``#/accept``) in a message's text."""
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        found = _LINK.search(text)
        if found is None:
            raise AssertionError(f"no link in the mail: {text!r}")
        return found.group(0)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def say(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        try:
            await say("220 mail-catcher ESMTP")
            while line := await reader.readline():
                verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
                if verb == "EHLO":
                    await say("250-mail-catcher\r\n250 8BITMIME")
                elif verb == "DATA":
                    await say("354 end with <CRLF>.<CRLF>")
                    await self._receive(reader, say)
                elif verb == "QUIT":
                    await say("221 bye")
                    break
                elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                    await say("250 ok")
                else:
                    await say("502 not implemented")
        finally:
            writer.close()

    async def _receive(self, reader: asyncio.StreamReader, say) -> None:  # type: ignore[no-untyped-def]
        lines: list[bytes] = []
        while (line := await reader.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # undo dot-stuffing
        if self.refuse:
            await say("554 refused by the test")
            return
        message = message_from_bytes(b"".join(lines), policy=policy.default)
        assert isinstance(message, EmailMessage)
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{len(self.messages) + 1:05d}.eml"
            (self.folder / name).write_bytes(message.as_bytes())
        async with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        await say("250 queued")
