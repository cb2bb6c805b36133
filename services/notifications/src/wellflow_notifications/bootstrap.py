"""The composition root: the runtime, the use cases' handle with its mail and SMS senders, the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from prometheus_client import Counter, Histogram

from wellflow_servicekit.auth import TokenVerifier
from wellflow_servicekit.background import PeriodicTask
from wellflow_servicekit.kernel import Clock, utcnow
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .adapters.business_metrics import register_business_gauges
from .adapters.sealing import SealedLinks
from .adapters.sms import TwilioCompatibleSms
from .adapters.smtp import SmtpSender
from .adapters.unit_of_work import SqlNotificationsWork
from .adapters.worker import DeliveryWorker
from .app.common import DeliveryOptions, Notifications
from .app.delivery import dispatch_round
from .app.digest import digest_round
from .app.ports import Sender
from .domain.retries import RetryPolicy
from .entrypoints.consumers import register_consumers
from .entrypoints.http import routers
from .settings import NotificationsSettings

DESCRIPTION = "Alerts, deadlines and invitations to the right people: email, SMS and the console's bell."


def senders_from(settings: NotificationsSettings) -> dict[str, Sender]:
    senders: dict[str, Sender] = {}
    if settings.smtp_host:
        senders["email"] = SmtpSender(
            settings.smtp_host,
            settings.smtp_port,
            sender=settings.mail_from,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            timeout=settings.smtp_timeout_seconds,
        )
    if settings.sms_api_base:
        assert settings.sms_account_sid and settings.sms_auth_token
        senders["sms"] = TwilioCompatibleSms(
            settings.sms_api_base,
            settings.sms_account_sid,
            settings.sms_auth_token.get_secret_value(),
            sender=settings.sms_from,
            messaging_service_sid=settings.sms_messaging_service_sid,
        )
    return senders


def delivery_metrics(registry: Any) -> Callable[[str, str, float], None]:
    """Counts each attempt by channel and outcome, and times the sent ones, in the service's /metrics."""
    attempts = Counter(
        "notifications_delivery_attempts_total",
        "Email and SMS attempts by channel and outcome (sent, retry, failed, bounced, opted_out, suppressed).",
        ["channel", "outcome"],
        registry=registry,
    )
    delay = Histogram(
        "notifications_delivery_seconds",
        "From a delivery made (its event handled) to its mail or SMS accepted by the relay or provider.",
        ["channel"],
        buckets=(0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600, 86400),
        registry=registry,
    )

    def on_attempt(channel: str, outcome: str, seconds: float) -> None:
        attempts.labels(channel=channel, outcome=outcome).inc()
        if outcome == "sent":
            delay.labels(channel=channel).observe(seconds)

    return on_attempt


def create_app(
    settings: NotificationsSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    clock: Clock = utcnow,
    senders: dict[str, Sender] | None = None,
) -> FastAPI:
    """``token_verifier`` and ``senders`` default to the real ones; tests pass their own."""
    settings = settings or load_settings_or_exit(NotificationsSettings)
    runtime = ServiceRuntime(settings, work_type=SqlNotificationsWork)
    seal = settings.invitation_seal_key
    notifications = Notifications(
        runtime.database,
        senders=senders if senders is not None else senders_from(settings),
        console_url=settings.console_url,
        links=SealedLinks(seal.get_secret_value()) if seal else None,
        options=DeliveryOptions(
            lease=max(settings.delivery_lease_seconds, settings.smtp_timeout_seconds + 5),
            batch_size=settings.delivery_batch_size,
            retry=RetryPolicy(
                first_delay=settings.delivery_first_retry_seconds,
                max_delay=settings.delivery_max_retry_seconds,
                give_up_after=settings.delivery_retry_for_seconds,
            ),
        ),
        clock=clock,
    )
    notifications.on_attempt = delivery_metrics(runtime.metrics.registry)
    register_business_gauges(runtime)
    worker = DeliveryWorker(
        settings.database_url, lambda: dispatch_round(notifications), settings.delivery_poll_interval
    )
    digests = PeriodicTask("notifications-digest", lambda: digest_round(notifications), settings.digest_interval)
    extra: dict[str, Any] = {"token_verifier": token_verifier} if token_verifier is not None else {}
    return runtime.create_app(
        title="WellFlow notifications",
        version=__version__,
        description=DESCRIPTION,
        routers=routers,
        consumers=lambda consumers: register_consumers(consumers, notifications),
        background=[worker, digests, _closing(notifications)],
        state={"notifications": notifications},
        **extra,
    )


def _closing(notifications: Notifications) -> Any:
    @asynccontextmanager
    async def running() -> AsyncIterator[None]:
        try:
            yield
        finally:
            for sender in notifications.senders.values():
                close = getattr(sender, "close", None)
                if close is not None:
                    await close()

    return running
