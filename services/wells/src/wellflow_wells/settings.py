"""The wells service's settings: what every service reads (see docs/CONVENTIONS.md); nothing of its own yet."""

from __future__ import annotations

from wellflow_servicekit.settings import ServiceSettings


class WellsSettings(ServiceSettings):
    pass
