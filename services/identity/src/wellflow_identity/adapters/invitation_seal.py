"""Sealing an invitation link for the notifications service: AES-256-GCM under ``INVITATION_SEAL_KEY`` (the
same 32 bytes notifications is given), a random 96-bit nonce, the associated data binding it to one invitation
and one sending of it. ``v1.<base64url(nonce ‖ ciphertext ‖ tag)>``; notifications' ``adapters/sealing.py``
opens it. docs/notifications.md#invitations says why the link is sealed."""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def seal_key(text: str) -> bytes:
    """The 32-byte key from its hex or base64url text; raises ValueError otherwise."""
    for decode in (bytes.fromhex, lambda t: base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))):
        try:
            key = decode(text)
        except (ValueError, binascii.Error):
            continue
        if len(key) == 32:
            return key
    raise ValueError("INVITATION_SEAL_KEY must be 32 bytes, as 64 hex digits or base64url")


class AesGcmSealer:
    def __init__(self, key: bytes) -> None:
        self.aead = AESGCM(key)

    def seal(self, link: str, *, context: bytes) -> str:
        nonce = os.urandom(12)
        sealed = nonce + self.aead.encrypt(nonce, link.encode(), context)
        return "v1." + base64.urlsafe_b64encode(sealed).decode().rstrip("=")
