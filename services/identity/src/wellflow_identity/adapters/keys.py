"""Token signing keys: Ed25519 pairs, private halves encrypted at rest, public halves served as JWKS.

Private keys never live in the repository or the environment: the first process to start generates one
and stores it encrypted with AES-256-GCM under a key derived (HKDF-SHA256) from KEY_ENCRYPTION_KEY; the
key id is the GCM associated data, so a ciphertext moved to another row does not decrypt. Rotation
(``rotate``) adds a new key that signs from then on and schedules every older key's retirement for two
access-token lifetimes later: until then its public half stays in the JWKS so tokens it signed verify.
Other processes pick the new key up within ``refresh_seconds``; meanwhile they sign with the old one,
which is still published, so nothing breaks.
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.auth import ACCESS_TOKEN_TYPE
from wellflow_servicekit.database import Database

from .repositories.signing_keys import SqlSigningKeys

ALGORITHM = "EdDSA"


class KeyDecryptionError(RuntimeError):
    """The stored private keys were encrypted under another KEY_ENCRYPTION_KEY."""


class KeyCipher:
    """AES-256-GCM with a key derived from the configured secret."""

    def __init__(self, secret: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"wellflow-identity signing keys v1").derive(
            secret.encode()
        )
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes, associated: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, associated)

    def decrypt(self, blob: bytes, associated: bytes) -> bytes:
        return self._aead.decrypt(blob[:12], blob[12:], associated)


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey
    public_jwk: dict[str, Any]
    created_at: datetime
    retire_at: datetime | None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key_row(cipher: KeyCipher, now: datetime) -> dict[str, Any]:
    private = Ed25519PrivateKey.generate()
    kid = f"{now:%Y%m%d}-{uuid7().hex[-12:]}"
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw_public), "kid": kid, "use": "sig", "alg": ALGORITHM}
    return {
        "kid": kid,
        "algorithm": ALGORITHM,
        "public_jwk": jwk,
        "private_key_encrypted": cipher.encrypt(raw_private, kid.encode()),
        "created_at": now,
        "retire_at": None,
    }


class SigningKeyStore:
    """The signing keys of every process: started with the service (``start`` makes the first key), read
    again every ``refresh_seconds``. Keys are global rows: their SQL (``SqlSigningKeys``) runs in system
    units of work, outside any tenant."""

    def __init__(
        self,
        database: Database,
        cipher: KeyCipher,
        *,
        token_ttl_seconds: int,
        clock: Callable[[], datetime],
        refresh_seconds: float = 30.0,
    ) -> None:
        self.database = database
        self.cipher = cipher
        self.token_ttl_seconds = token_ttl_seconds
        self.clock = clock
        self.refresh_seconds = refresh_seconds
        self._keys: list[SigningKey] = []
        self._loaded_at: float | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        """Load the keys, generating the first one if the database has none."""
        async with self.database.unit_of_work(None) as uow:
            keys = SqlSigningKeys(uow)
            await keys.lock()
            if not await keys.exist():
                await keys.add(new_key_row(self.cipher, self.clock()))
        await self.reload()

    async def stop(self) -> None:
        """Nothing to release: the keys live in memory and the database is the runtime's."""

    async def rotate(self) -> str:
        """Add a key that signs from now on; older keys stay published for two token lifetimes."""
        now = self.clock()
        row = new_key_row(self.cipher, now)
        async with self.database.unit_of_work(None) as uow:
            keys = SqlSigningKeys(uow)
            await keys.lock()
            await keys.retire_signing(now + timedelta(seconds=2 * self.token_ttl_seconds))
            await keys.add(row)
        await self.reload()
        return str(row["kid"])

    async def reload(self) -> None:
        async with self.database.unit_of_work(None) as uow:
            rows = await SqlSigningKeys(uow).live(self.clock())
        self._keys = [self._decrypted(row) for row in rows]
        self._loaded_at = time.monotonic()

    async def every_key(self) -> list[dict[str, Any]]:
        """Every key ever made, oldest first (what ``list-keys`` shows)."""
        async with self.database.unit_of_work(None) as uow:
            return await SqlSigningKeys(uow).every()

    def _decrypted(self, row: dict[str, Any]) -> SigningKey:
        try:
            raw = self.cipher.decrypt(row["private_key_encrypted"], row["kid"].encode())
        except InvalidTag:
            raise KeyDecryptionError(
                f"signing key {row['kid']} cannot be decrypted: KEY_ENCRYPTION_KEY is not the one it was stored with"
            ) from None
        return SigningKey(
            kid=row["kid"],
            private_key=Ed25519PrivateKey.from_private_bytes(raw),
            public_jwk=dict(row["public_jwk"]),
            created_at=row["created_at"],
            retire_at=row["retire_at"],
        )

    async def _current(self) -> list[SigningKey]:
        if self._loaded_at is None or time.monotonic() - self._loaded_at > self.refresh_seconds:
            async with self._lock:
                if self._loaded_at is None or time.monotonic() - self._loaded_at > self.refresh_seconds:
                    await self.reload()
        return self._keys

    async def jwks(self) -> dict[str, Any]:
        now = self.clock()
        keys = await self._current()
        return {"keys": [k.public_jwk for k in keys if k.retire_at is None or k.retire_at > now]}

    async def sign(self, claims: dict[str, Any]) -> str:
        keys = await self._current()
        if not keys:
            raise RuntimeError("no signing key: SigningKeyStore.start() was not run")
        active = keys[0]  # newest first
        return jwt.encode(
            claims, active.private_key, algorithm=ALGORITHM, headers={"kid": active.kid, "typ": ACCESS_TOKEN_TYPE}
        )
