"""SMS through a Twilio-compatible provider: the Programmable Messaging REST API's request, as documented by
Twilio (``POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json``, HTTP basic auth with the account SID and
auth token, form fields ``To``, ``From`` or ``MessagingServiceSid``, ``Body``; ``201`` with the message's ``sid``).

An error answer carries a numeric ``code``: 21610 means the recipient replied STOP (an opt-out, honoured: the
number is suppressed), 21211, 21612 and 21614 an invalid, unreachable or non-mobile number (a bounce: suppressed
too). Any other 400 fails the message without blaming the number (e.g. a body too long). 401, 403 and 404 are the
account's configuration, 429 and 5xx and a lost connection the provider's moment: all tried again.

``SMS_API_BASE`` points at the provider (or at the stand-in the dev stack runs, ``tools/devstack``'s
``sms_sink.py``, which answers the same way and keeps each message).
"""

from __future__ import annotations

import httpx

from ..app.ports import Outgoing, SendResult

OPTED_OUT = {21610}
BOUNCED = {21211, 21612, 21614}


class TwilioCompatibleSms:
    channel = "sms"

    def __init__(
        self,
        base_url: str,
        account_sid: str,
        auth_token: str,
        *,
        sender: str | None = None,
        messaging_service_sid: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        if not (sender or messaging_service_sid):
            raise ValueError("an SMS sender needs SMS_FROM or SMS_MESSAGING_SERVICE_SID")
        self.url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = (account_sid, auth_token)
        self.sender, self.service = sender, messaging_service_sid
        self.client = httpx.AsyncClient(timeout=timeout)

    async def send(self, message: Outgoing) -> SendResult:
        form = {"To": message.address, "Body": message.text}
        if self.service:
            form["MessagingServiceSid"] = self.service
        else:
            assert self.sender is not None
            form["From"] = self.sender
        try:
            response = await self.client.post(self.url, data=form, auth=self.auth)
        except httpx.HTTPError as exc:
            return SendResult(sent=False, error=f"SMS provider unreachable: {exc}")
        if response.status_code in (200, 201):
            return SendResult(sent=True, provider_id=str(response.json().get("sid")))
        try:
            body = response.json()
        except ValueError:
            body = {}
        code = body.get("code")
        error = f"{response.status_code} {code or ''} {body.get('message') or response.text[:200]}".strip()
        if response.status_code != 400:
            return SendResult(sent=False, error=error)
        if code in OPTED_OUT or code in BOUNCED:
            return SendResult(sent=False, error=error, permanent=True, opted_out=code in OPTED_OUT)
        return SendResult(sent=False, error=error, permanent=True, suppress=False)

    async def close(self) -> None:
        await self.client.aclose()
