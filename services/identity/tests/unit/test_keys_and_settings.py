"""Signing keys at rest, password hashing parameters, and the settings identity refuses to start without."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from cryptography.exceptions import InvalidTag

from wellflow_identity.adapters.keys import KeyCipher, new_key_row
from wellflow_identity.adapters.passwords import Argon2Passwords, HashingBusy
from wellflow_identity.bootstrap import mailer_from
from wellflow_identity.settings import IdentitySettings
from wellflow_servicekit.settings import ConfigurationError, load_settings

SECRET = "k" * 40
BASE = {
    "service_name": "identity",
    "database_url": "postgresql+asyncpg://identity_app@/identity?host=/tmp",
    "nats_url": "nats://127.0.0.1:4222",
    "jwks_url": "http://127.0.0.1:8101/.well-known/jwks.json",
    "jwt_issuer": "wellflow-identity",
    "jwt_audience": "wellflow",
}


def test_a_private_key_decrypts_only_with_the_same_secret_and_its_own_key_id():
    row = new_key_row(KeyCipher(SECRET), datetime.now(UTC))
    blob, kid = row["private_key_encrypted"], row["kid"].encode()
    assert len(KeyCipher(SECRET).decrypt(blob, kid)) == 32
    with pytest.raises(InvalidTag):
        KeyCipher("another secret of at least 32 chars!!").decrypt(blob, kid)
    with pytest.raises(InvalidTag):
        KeyCipher(SECRET).decrypt(blob, b"another-kid")
    assert set(row["public_jwk"]) == {"kty", "crv", "x", "kid", "use", "alg"}


def test_the_key_encryption_key_is_required_and_must_be_long(monkeypatch):
    monkeypatch.delenv("KEY_ENCRYPTION_KEY", raising=False)
    with pytest.raises(ConfigurationError) as missing:
        load_settings(IdentitySettings, **BASE)
    assert any(p.startswith("KEY_ENCRYPTION_KEY: missing") for p in missing.value.problems)
    with pytest.raises(ConfigurationError) as short:
        load_settings(IdentitySettings, **BASE, key_encryption_key="short")
    assert any("at least 32" in p for p in short.value.problems)
    settings = load_settings(IdentitySettings, **BASE, key_encryption_key=SECRET)
    assert SECRET not in repr(settings)


async def test_passwords_use_argon2id_with_owasp_parameters_and_unknown_accounts_still_cost_a_verify():
    passwords = Argon2Passwords()
    stored = await passwords.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert await passwords.verify(stored, "correct horse battery staple")
    assert not await passwords.verify(stored, "wrong")
    assert not await passwords.verify(None, "anything")
    assert passwords._dummy_hash is not None


def test_hashing_threads_and_queue_come_from_the_settings_not_the_hosts_cpu_count():
    settings = load_settings(IdentitySettings, **BASE, key_encryption_key=SECRET)
    assert (settings.password_hash_threads, settings.password_hash_queue) == (2, 32)
    settings = load_settings(
        IdentitySettings, **BASE, key_encryption_key=SECRET, password_hash_threads=3, password_hash_queue=5
    )
    from wellflow_identity.bootstrap import create_app

    passwords = create_app(settings).state.identity.passwords
    assert (passwords.threads, passwords.capacity) == (3, 8)
    passwords.close()


async def test_a_full_hashing_queue_refuses_at_once_with_503():
    passwords = Argon2Passwords(threads=1, queue=1)
    results = await asyncio.gather(*(passwords.hash("pw") for _ in range(3)), return_exceptions=True)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], HashingBusy)
    assert refused[0].status == 503 and refused[0].headers["Retry-After"] == "1"
    assert passwords.in_flight == 0
    assert await passwords.hash("pw")  # room again
    passwords.close()


def test_a_mail_server_needs_a_sender_and_the_consoles_address():
    with pytest.raises(ConfigurationError) as missing:
        load_settings(IdentitySettings, **BASE, key_encryption_key=SECRET, smtp_host="mail.example.com")
    assert "MAIL_FROM" in str(missing.value) and "CONSOLE_URL" in str(missing.value)
    configured = load_settings(
        IdentitySettings,
        **BASE,
        key_encryption_key=SECRET,
        smtp_host="mail.example.com",
        mail_from="WellFlow <no-reply@example.com>",
        console_url="https://wf.example.com",
    )
    assert mailer_from(configured).delivers is True
    assert mailer_from(load_settings(IdentitySettings, **BASE, key_encryption_key=SECRET)).delivers is False
