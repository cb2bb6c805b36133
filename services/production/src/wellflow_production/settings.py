"""The production service's settings: what every service reads (docs/CONVENTIONS.md) plus the alert check."""

from __future__ import annotations

from pydantic import Field

from wellflow_servicekit.settings import ServiceSettings


class ProductionSettings(ServiceSettings):
    alert_check_interval: float = Field(
        default=3600.0, ge=0, description="seconds between periodic alert checks of yesterday (0: off)"
    )
    import_max_bytes: int = Field(
        default=512 * 1024 * 1024, ge=1024, description="largest CSV import body accepted, in bytes"
    )
