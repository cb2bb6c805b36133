"""The notifications service's settings: what every service reads (docs/CONVENTIONS.md), mail, SMS, delivery."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator

from wellflow_servicekit.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    console_url: str = Field(
        default="http://127.0.0.1:8000", description="where the links in mail and SMS point (the console)"
    )
    smtp_host: str | None = Field(default=None, description="mail server; without it no email is sent (kept pending)")
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = Field(default="starttls")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    mail_from: str = Field(default="WellFlow <no-reply@wellflow.invalid>", description="sender of every mail")
    sms_api_base: str | None = Field(
        default=None, description="a Twilio-compatible API (https://api.twilio.com); without it no SMS is sent"
    )
    sms_account_sid: str | None = None
    sms_auth_token: SecretStr | None = None
    sms_from: str | None = Field(default=None, description="the sending number, E.164")
    sms_messaging_service_sid: str | None = None
    invitation_seal_key: SecretStr | None = Field(
        default=None, description="32 bytes (base64url or hex) shared with identity: opens sealed invitation links"
    )
    delivery_poll_interval: float = Field(
        default=5.0, gt=0, le=60, description="seconds between rounds without a wake-up"
    )
    delivery_batch_size: int = Field(default=50, ge=1, le=500)
    delivery_lease_seconds: float = Field(default=60.0, gt=0, le=600)
    delivery_first_retry_seconds: float = Field(default=30.0, gt=0)
    delivery_max_retry_seconds: float = Field(default=3600.0, gt=0)
    delivery_retry_for_seconds: float = Field(default=86400.0, gt=0, description="how long a delivery is retried")
    digest_interval: float = Field(default=300.0, ge=0, description="seconds between digest rounds; 0 turns them off")

    @model_validator(mode="after")
    def _sms_complete(self) -> NotificationsSettings:
        if self.sms_api_base and not (self.sms_account_sid and self.sms_auth_token):
            raise ValueError("SMS_API_BASE needs SMS_ACCOUNT_SID and SMS_AUTH_TOKEN")
        if self.sms_api_base and not (self.sms_from or self.sms_messaging_service_sid):
            raise ValueError("SMS_API_BASE needs SMS_FROM or SMS_MESSAGING_SERVICE_SID")
        return self
