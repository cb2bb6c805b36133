"""Opening an invitation link that identity sealed for notifications (AES-256-GCM, the key both services are
given as ``INVITATION_SEAL_KEY``; docs/notifications.md#invitations says why the link travels sealed).

A sealed value is ``v1.<base64url(nonce ‖ ciphertext ‖ tag)>``; the associated data is the delivery's key
(``invitation:<invitation id>:<send count>``), so a sealed link lifted from one invitation does not open as
another's.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def key_from(text: str) -> bytes:
    """The 32-byte key from its base64url (or hex) text; raises ValueError otherwise."""
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = b""
    if len(key) != 32:
        raise ValueError("INVITATION_SEAL_KEY must be 32 bytes, base64url or hex")
    return key


class SealedLinks:
    """``key`` as bytes, or as its text (read when the first link is opened: a wrong key fails that delivery,
    naming the setting, rather than the whole service)."""

    def __init__(self, key: bytes | str) -> None:
        self._key = key
        self._aead: AESGCM | None = None

    @property
    def aead(self) -> AESGCM:
        if self._aead is None:
            self._aead = AESGCM(self._key if isinstance(self._key, bytes) else key_from(self._key))
        return self._aead

    def open(self, sealed: str, *, context: bytes) -> str:
        version, _, payload = sealed.partition(".")
        if version != "v1":
            raise ValueError(f"unknown seal version {version!r}")
        try:
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            return self.aead.decrypt(raw[:12], raw[12:], context).decode()
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise ValueError("the link was not sealed with this key for this invitation") from exc
