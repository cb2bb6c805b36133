"""The composition root: the runtime, the registry of use cases and the app, from settings."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from wellflow_servicekit.auth import TokenVerifier
from wellflow_servicekit.kernel import Clock, utcnow
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .adapters.unit_of_work import SqlWellsWork
from .app.registry import Registry
from .entrypoints.consumers import register_consumers
from .entrypoints.http import routers
from .settings import WellsSettings

DESCRIPTION = "The asset registry: fields, leases, wells and their status lifecycle."


def create_app(
    settings: WellsSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    clock: Clock = utcnow,
) -> FastAPI:
    """``token_verifier`` defaults to a JWKS verifier from the settings; tests pass their own."""
    settings = settings or load_settings_or_exit(WellsSettings)
    runtime = ServiceRuntime(settings, work_type=SqlWellsWork)
    registry = Registry(runtime.database, clock=clock)
    extra: dict[str, Any] = {"token_verifier": token_verifier} if token_verifier is not None else {}
    return runtime.create_app(
        title="WellFlow wells",
        version=__version__,
        description=DESCRIPTION,
        routers=routers,
        consumers=register_consumers,
        state={"registry": registry},
        **extra,
    )
