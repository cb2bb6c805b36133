"""Opaque credentials identity hands out, and how they are stored.

Refresh tokens, invitation tokens, password links and API key secrets are 256-bit random strings. Only their SHA-256
hash is stored: with that much entropy a fast hash is enough (argon2 is for human-chosen passwords), and
a stolen table gives nobody a usable credential. API keys read ``wfk_<key id, 32 hex>_<secret>``; the id
finds the row, the secret is compared by hash in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from uuid import UUID

REFRESH_PREFIX = "wfr_"
INVITATION_PREFIX = "wfi_"
PASSWORD_RESET_PREFIX = "wfp_"  # noqa: S105 - a token prefix, not a secret
API_KEY_PREFIX = "wfk_"
_API_KEY = re.compile(r"^wfk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$")


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_hash(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def new_api_key(key_id: UUID) -> tuple[str, str]:
    """The key to show once, and the hash of its secret part to store."""
    secret = secrets.token_urlsafe(32)
    return f"{API_KEY_PREFIX}{key_id.hex}_{secret}", hash_secret(secret)


def parse_api_key(key: str) -> tuple[UUID, str] | None:
    """``(key id, secret)``, or None when ``key`` is not shaped like an API key."""
    match = _API_KEY.match(key)
    if match is None:
        return None
    return UUID(match.group(1)), match.group(2)
