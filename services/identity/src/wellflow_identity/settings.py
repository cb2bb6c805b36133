"""Identity's settings: everything every service reads, plus the key that encrypts signing keys at rest."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from wellflow_servicekit.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    key_encryption_key: SecretStr = Field(
        description="secret (at least 32 characters) from which the key encrypting private signing keys is derived"
    )
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600, description="access token lifetime")
    refresh_token_ttl_seconds: int = Field(
        default=30 * 24 * 3600,
        ge=3600,
        le=365 * 24 * 3600,
        description="how long an unused refresh token stays valid (each refresh issues a new one)",
    )
    session_lifetime_seconds: int = Field(
        default=30 * 24 * 3600,
        ge=3600,
        le=365 * 24 * 3600,
        description="absolute session lifetime: a chain of refreshes ends this long after the sign-in, however "
        "often it was refreshed; then the person signs in again",
    )
    invitation_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=600, description="how long an invitation lasts")
    password_reset_ttl_seconds: int = Field(
        default=3600,
        ge=300,
        le=24 * 3600,
        description="how long a link to choose a new password lasts (self-service or made by an owner); used once",
    )
    console_url: str | None = Field(
        default=None,
        description="the console's public address (https://wellflow.example.com/): the links in the mail point "
        "there; required with SMTP_HOST",
    )
    smtp_host: str | None = Field(
        default=None, description="mail server for invitations and password links; unset: nothing is mailed"
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="mail server port")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        default="starttls", description="starttls (submission, 587), tls (implicit TLS, 465) or none (a local relay)"
    )
    smtp_username: str | None = Field(default=None, description="mail server login, when it asks for one")
    smtp_password: SecretStr | None = Field(default=None, description="mail server password")
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120, description="connect and send timeout")
    invitation_seal_key: SecretStr | None = Field(
        default=None,
        description="32 bytes (64 hex digits) shared with the notifications service: when set, invitations go out "
        "through notifications (MemberInvited, the link sealed with this key) instead of SMTP_HOST; needs CONSOLE_URL",
    )
    mail_from: str | None = Field(
        default=None, description="sender of WellFlow's mail (WellFlow <no-reply@example.com>); required with SMTP_HOST"
    )
    signing_key_refresh_seconds: float = Field(
        default=30.0, gt=0, le=3600, description="how often a process re-reads the signing keys (after a rotation)"
    )

    password_hash_threads: int = Field(
        default=2,
        ge=1,
        le=64,
        description="threads hashing passwords (argon2id, ~19 MiB and tens of ms of CPU each): size it to the CPUs "
        "the pod is given, not the host's",
    )
    password_hash_queue: int = Field(
        default=32,
        ge=0,
        le=10_000,
        description="password checks waiting for a hashing thread beyond those running; more answer 503 with "
        "Retry-After",
    )
    sign_in_proxy_hops: int = Field(
        default=1,
        ge=0,
        le=5,
        description="proxies in front of identity whose X-Forwarded-For entries are trusted, for the client "
        "address the sign-in limits count: the gateway (1) plus the load balancers the gateway trusts "
        "(GATEWAY_TRUSTED_PROXY_HOPS); 0 counts the connecting peer",
    )

    @model_validator(mode="after")
    def _mail_is_complete(self) -> IdentitySettings:
        if self.smtp_host and not (self.mail_from and self.console_url):
            raise ValueError("SMTP_HOST needs MAIL_FROM (the sender) and CONSOLE_URL (where the links point)")
        if (
            self.invitation_seal_key is not None
            and self.invitation_seal_key.get_secret_value()
            and not self.console_url
        ):
            raise ValueError("INVITATION_SEAL_KEY needs CONSOLE_URL (where the invitation links point)")
        return self

    @field_validator("key_encryption_key")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 32:
            raise ValueError(
                "must be at least 32 characters (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return value
