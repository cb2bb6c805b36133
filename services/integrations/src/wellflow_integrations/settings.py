"""The integrations service's settings: what every service reads (docs/CONVENTIONS.md) and the webhooks'."""

from __future__ import annotations

from pydantic import Field

from wellflow_servicekit.settings import ServiceSettings


class IntegrationsSettings(ServiceSettings):
    webhook_allow_localhost: bool = Field(
        default=False, description="DEV ONLY: accept http:// and loopback webhook URLs (tests, a laptop)"
    )
    webhook_poll_interval: float = Field(default=1.0, gt=0, le=60, description="seconds between dispatch rounds")
    webhook_batch_size: int = Field(
        default=50, ge=1, le=500, description="deliveries claimed per organization and round"
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60, description="one attempt's time limit")
    webhook_lease_seconds: float = Field(
        default=60.0, gt=0, le=600, description="a claimed delivery's lease; above the timeout"
    )
    webhook_first_retry_seconds: float = Field(default=10.0, gt=0, description="the wait after the first failure")
    webhook_max_retry_seconds: float = Field(default=3600.0, gt=0, description="the longest wait between attempts")
    webhook_retry_for_seconds: float = Field(
        default=86400.0, gt=0, description="how long a delivery is retried before it fails (a day)"
    )
