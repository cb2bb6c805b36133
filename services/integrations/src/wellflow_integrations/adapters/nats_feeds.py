"""The feed consumers on the feed stream (``<ROOT>_FEEDS``, a mirror of the events stream's ``evt`` subjects):
one durable pull consumer per feed, filtered to the organization's subjects, explicit acks, never expiring.
The service's NATS user may create, read and delete consumers of that stream only (deploy/nats/accounts.conf);
the tenant's NATS account may only fetch from and acknowledge on its own (deploy_cli nats-tenant)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from wellflow_contracts.subjects import feed_stream_name, tenant_filter

from ..domain.feeds import StartPoint

ACK_WAIT_SECONDS = 30.0
MAX_ACK_PENDING = 1000


class NatsFeedConsumers:
    def __init__(self, jetstream: Callable[[], JetStreamContext], root: str) -> None:
        self._jetstream = jetstream  # the broker's context, there once the runtime has connected
        self.root = root
        self.stream = feed_stream_name(root)

    def subjects(self, organization_id: UUID) -> str:
        return tenant_filter(organization_id, self.root)

    def config(self, organization_id: UUID, consumer: str, start: StartPoint) -> ConsumerConfig:
        policy = {
            "new": DeliverPolicy.NEW,
            "all": DeliverPolicy.ALL,
            "time": DeliverPolicy.BY_START_TIME,
            "sequence": DeliverPolicy.BY_START_SEQUENCE,
        }[start.kind]
        return ConsumerConfig(
            durable_name=consumer,
            filter_subject=self.subjects(organization_id),
            deliver_policy=policy,
            opt_start_time=start.time if start.kind == "time" else None,
            opt_start_seq=start.sequence if start.kind == "sequence" else None,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=ACK_WAIT_SECONDS,
            max_ack_pending=MAX_ACK_PENDING,
            description=f"durable feed of organization {organization_id}",
        )

    async def create(self, organization_id: UUID, consumer: str, start: StartPoint) -> None:
        await self._jetstream().add_consumer(self.stream, self.config(organization_id, consumer, start))

    async def delete(self, consumer: str) -> None:
        with contextlib.suppress(NotFoundError):
            await self._jetstream().delete_consumer(self.stream, consumer)

    async def state(self, consumer: str) -> dict[str, Any] | None:
        try:
            info = await self._jetstream().consumer_info(self.stream, consumer)
        except NotFoundError:
            return None
        return {
            "pending": info.num_pending or 0,
            "unacknowledged": info.num_ack_pending or 0,
            "redelivered": info.num_redelivered or 0,
            "delivered_sequence": info.delivered.stream_seq if info.delivered else 0,
            "acknowledged_sequence": info.ack_floor.stream_seq if info.ack_floor else 0,
        }
