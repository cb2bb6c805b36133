"""The use cases' handle: the database, the clock, the senders, the console's address and the delivery
settings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from wellflow_servicekit.kernel import Actor, Clock, utcnow

from ..domain.retries import RetryPolicy
from .ports import LinkOpener, NotificationsWork, Sender


@dataclass(frozen=True)
class DeliveryOptions:
    lease: float = 60.0
    batch_size: int = 50
    retry: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass
class Notifications:
    database: Any  # wellflow_servicekit.database.Database (or the unit tests' FakeDatabase)
    senders: dict[str, Sender]
    console_url: str = "http://127.0.0.1:8000"
    links: LinkOpener | None = None
    options: DeliveryOptions = field(default_factory=DeliveryOptions)
    clock: Clock = utcnow
    on_attempt: Callable[[str, str, float], None] = lambda channel, outcome, seconds: None
    """Told each attempt's channel, outcome (sent, retry, failed, bounced, opted_out, suppressed) and how long
    after the delivery was made it finished (bootstrap counts them in /metrics)."""

    def link(self, page: str) -> str:
        """A console page (``alerts``, ``accounting/afes/<id>``) as an absolute link."""
        return f"{self.console_url.rstrip('/')}/#/{page.lstrip('/')}"

    @asynccontextmanager
    async def uow(self, actor: Actor) -> AsyncIterator[NotificationsWork]:
        async with self.database.unit_of_work(actor.organization_id) as uow:
            yield uow
