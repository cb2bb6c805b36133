"""A stand-in for a Twilio-compatible SMS provider, for the dev stack and tests: it answers the Programmable
Messaging request notifications sends (``POST /2010-04-01/Accounts/{sid}/Messages.json``, HTTP basic auth,
form fields ``To``, ``From``/``MessagingServiceSid``, ``Body``) the way the provider documents it, and keeps each
message instead of sending it.

    async with SmsSink() as sms:          # 127.0.0.1, a free port: sms.url, sms.account_sid, sms.auth_token
        message = await sms.wait_for("+14325550123")

``opted_out`` numbers answer 400 with code 21610 (the recipient replied STOP); ``fail_next`` answers that many
requests with 503 (a provider outage); a wrong account or token answers 401 (code 20003).
"""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Sms:
    sid: str
    to: str
    sender: str
    body: str


class SmsSink:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.account_sid = "AC" + secrets.token_hex(16)
        self.auth_token = secrets.token_hex(16)
        self.messages: list[Sms] = []
        self.opted_out: set[str] = set()
        self.fail_next = 0
        self._server: asyncio.Server | None = None
        self._arrived = asyncio.Condition()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def __aenter__(self) -> SmsSink:
        self._server = await asyncio.start_server(self._connection, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    def to(self, number: str) -> list[Sms]:
        return [m for m in self.messages if m.to == number]

    async def wait_for(self, number: str, *, count: int = 1, timeout: float = 10.0) -> Sms:
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.to(number)) >= count), timeout)
        return self.to(number)[count - 1]

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = [*lines[0].split(" "), "", ""][:3]
                headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status, answer = await self._answer(method, path, headers, body)
                payload = json.dumps(answer).encode()
                head_out = f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {len(payload)}"
                writer.write(head_out.encode() + b"\r\n\r\n" + payload)
                await writer.drain()
        finally:
            writer.close()

    async def _answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, object]]:
        expected = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("authorization") != f"Basic {credentials}":
            return 401, {"code": 20003, "message": "Authentication Error - invalid username", "status": 401}
        if method != "POST" or path != expected:
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        if self.fail_next > 0:
            self.fail_next -= 1
            return 503, {"code": 20503, "message": "Service unavailable", "status": 503}
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        to, sender = form.get("To", ""), form.get("From") or form.get("MessagingServiceSid", "")
        if not to.startswith("+") or not to[1:].isdigit():
            return 400, {"code": 21211, "message": f"The 'To' number {to} is not a valid phone number.", "status": 400}
        if to in self.opted_out:
            return 400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}
        if not form.get("Body"):
            return 400, {"code": 21602, "message": "Message body is required.", "status": 400}
        message = Sms("SM" + secrets.token_hex(16), to, sender, form["Body"])
        async with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return 201, {"sid": message.sid, "to": to, "from": sender, "body": message.body, "status": "queued"}
