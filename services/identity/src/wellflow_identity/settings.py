"""Identity's settings: everything every service reads, plus the key that encrypts signing keys at rest."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator

from wellflow_servicekit.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    key_encryption_key: SecretStr = Field(
        description="secret (at least 32 characters) from which the key encrypting private signing keys is derived"
    )
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600, description="access token lifetime")
    refresh_token_ttl_seconds: int = Field(
        default=30 * 24 * 3600, ge=3600, le=365 * 24 * 3600, description="refresh token family lifetime"
    )
    invitation_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=600, description="how long an invitation lasts")
    signing_key_refresh_seconds: float = Field(
        default=30.0, gt=0, le=3600, description="how often a process re-reads the signing keys (after a rotation)"
    )

    @field_validator("key_encryption_key")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 32:
            raise ValueError(
                "must be at least 32 characters (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return value
