"""Webhook signatures in the Standard Webhooks form (https://www.standardwebhooks.com/).

A delivery carries three headers:

- ``webhook-id``: the event's id (its CloudEvents ``ce-id``), the same on every attempt and replay, so a
  receiver drops what it has already processed;
- ``webhook-timestamp``: seconds since the epoch when this attempt was signed; a receiver refuses one
  outside its tolerance (5 minutes by default), so a captured request cannot be replayed later;
- ``webhook-signature``: ``v1,<base64 HMAC-SHA256>`` over ``"<id>.<timestamp>.<body>"`` with the endpoint's
  secret (``whsec_<base64 key>``, shown once when the endpoint is registered).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix of every secret, not a secret
DEFAULT_TOLERANCE_SECONDS = 300


class InvalidSignature(ValueError):
    """The request was not signed with this secret, or its timestamp is outside the tolerance."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers of one signed delivery."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }


def verify(
    secret: str, headers: dict[str, str], body: bytes, *, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> None:
    """What a receiver does (docs/integrations.md has the same in a few lines); raises InvalidSignature."""
    lowered = {name.lower(): value for name, value in headers.items()}
    try:
        message_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        offered = lowered["webhook-signature"].split()
    except (KeyError, ValueError) as exc:
        raise InvalidSignature(f"missing or malformed header: {exc}") from None
    if abs(now - timestamp) > tolerance:
        raise InvalidSignature("timestamp outside the tolerance")
    expected = signature(secret, message_id, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in offered):
        raise InvalidSignature("no signature matches")
