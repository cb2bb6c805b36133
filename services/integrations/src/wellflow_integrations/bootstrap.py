"""The composition root: the runtime, the use cases' handle with its NATS, DNS and HTTP adapters, the app."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from wellflow_servicekit.auth import TokenVerifier
from wellflow_servicekit.background import PeriodicTask
from wellflow_servicekit.kernel import Clock, utcnow
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .adapters.nats_feeds import NatsFeedConsumers
from .adapters.network import HttpxSender, SystemResolver
from .adapters.unit_of_work import SqlIntegrationsWork
from .app.common import Integrations, WebhookOptions
from .app.dispatch import dispatch_round
from .app.ports import Resolver, Sender
from .domain.retries import RetryPolicy
from .entrypoints.consumers import register_consumers
from .entrypoints.http import routers
from .settings import IntegrationsSettings

DESCRIPTION = "An organization's outside systems: durable event feeds over NATS and signed webhooks."


def options_from(settings: IntegrationsSettings) -> WebhookOptions:
    return WebhookOptions(
        allow_loopback=settings.webhook_allow_localhost,
        timeout=settings.webhook_timeout_seconds,
        lease=max(settings.webhook_lease_seconds, settings.webhook_timeout_seconds + 5),
        batch_size=settings.webhook_batch_size,
        retry=RetryPolicy(
            first_delay=settings.webhook_first_retry_seconds,
            max_delay=settings.webhook_max_retry_seconds,
            give_up_after=settings.webhook_retry_for_seconds,
        ),
    )


def create_app(
    settings: IntegrationsSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    clock: Clock = utcnow,
    resolver: Resolver | None = None,
    sender: Sender | None = None,
) -> FastAPI:
    """``token_verifier``, ``resolver`` and ``sender`` default to the real ones; tests pass their own."""
    settings = settings or load_settings_or_exit(IntegrationsSettings)
    runtime = ServiceRuntime(settings, work_type=SqlIntegrationsWork)
    http_sender = HttpxSender()
    integrations = Integrations(
        runtime.database,
        feeds=NatsFeedConsumers(lambda: runtime.broker.config.connection_state.stream, settings.event_subject_root),
        resolver=resolver or SystemResolver(),
        sender=sender or http_sender,
        options=options_from(settings),
        clock=clock,
    )
    dispatcher = PeriodicTask("webhook-dispatch", lambda: dispatch_round(integrations), settings.webhook_poll_interval)
    extra: dict[str, Any] = {"token_verifier": token_verifier} if token_verifier is not None else {}
    return runtime.create_app(
        title="WellFlow integrations",
        version=__version__,
        description=DESCRIPTION,
        routers=routers,
        consumers=lambda consumers: register_consumers(consumers, integrations),
        background=[dispatcher, _closing(http_sender)],
        state={"integrations": integrations},
        **extra,
    )


def _closing(sender: HttpxSender) -> Any:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def running() -> Any:
        try:
            yield
        finally:
            await sender.close()

    return running
