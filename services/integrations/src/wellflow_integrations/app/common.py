"""The use cases' handle: the database, the clock, the ports and the webhook settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from wellflow_servicekit.kernel import Actor, Clock, utcnow

from ..domain.retries import RetryPolicy
from .ports import FeedConsumers, IntegrationsWork, Resolver, Sender


@dataclass(frozen=True)
class WebhookOptions:
    allow_loopback: bool = False
    timeout: float = 10.0
    lease: float = 60.0
    batch_size: int = 50
    retry: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass
class Integrations:
    database: Any  # wellflow_servicekit.database.Database (or the unit tests' FakeDatabase)
    feeds: FeedConsumers
    resolver: Resolver
    sender: Sender
    options: WebhookOptions = field(default_factory=WebhookOptions)
    clock: Clock = utcnow

    @asynccontextmanager
    async def uow(self, actor: Actor) -> AsyncIterator[IntegrationsWork]:
        async with self.database.unit_of_work(actor.organization_id) as uow:
            yield uow
