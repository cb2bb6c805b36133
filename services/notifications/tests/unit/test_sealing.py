"""Invitation links travel sealed: only the holder of the key opens them, and only for their own invitation."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wellflow_notifications.adapters.sealing import SealedLinks, key_from


def seal(key: bytes, link: str, context: bytes) -> str:
    """What identity does (services/identity/.../app/invitation_seal.py), written out from the algorithm."""
    nonce = os.urandom(12)
    return "v1." + base64.urlsafe_b64encode(nonce + AESGCM(key).encrypt(nonce, link.encode(), context)).decode()


def test_a_sealed_link_opens_with_the_key_for_its_own_invitation_only() -> None:
    key = os.urandom(32)
    sealed = seal(key, "https://wf.example.com/console/#/accept?token=wfi_secret", b"invitation:1:1")
    links = SealedLinks(key)
    assert links.open(sealed, context=b"invitation:1:1") == "https://wf.example.com/console/#/accept?token=wfi_secret"
    with pytest.raises(ValueError):
        links.open(sealed, context=b"invitation:1:2")  # a resend's key: the old link does not open as the new
    with pytest.raises(ValueError):
        SealedLinks(os.urandom(32)).open(sealed, context=b"invitation:1:1")
    assert "wfi_secret" not in sealed


def test_the_key_is_32_bytes_in_base64url_or_hex() -> None:
    key = os.urandom(32)
    assert key_from(base64.urlsafe_b64encode(key).decode().rstrip("=")) == key
    assert key_from(key.hex()) == key
    with pytest.raises(ValueError):
        key_from("too-short")
