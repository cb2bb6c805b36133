"""NATS JetStream for WellFlow services: the event stream, durable consumers, dead letters and replay.

The service's NATS connection is a FastStream ``NatsBroker`` (it owns connecting, reconnecting and
draining, and any request/reply or AsyncAPI use). Integration events are consumed by durable pull
consumers named ``<service>-<handler>`` with an explicit ack policy, fetched by a loop of our own on the
broker's JetStream context rather than FastStream's pull subscriber, for two measured reasons: that
subscriber starts a fetched batch's messages concurrently (so one well's events could be applied out of
order), and its ``fetch(batch=N)`` holds a partial batch until N messages or the timeout (tens of
milliseconds on every event at a few hundred a second). Its default ack policy for NATS would also
terminate a message whose handler raised; ours never does. A failed
delivery is nak'ed with a growing delay; after ``max_deliver`` attempts the message is stored in the
``dead_letters`` table, announced on ``<root>.dlq.<service>.<handler>``, and acknowledged so it does not
block what follows. ``DeadLetters.replay`` republishes one on ``<root>.replay.<service>.<handler>``,
which a second durable consumer feeds to the same handler, through the same inbox.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import nats
from faststream.nats import NatsBroker
from faststream.security import SASLPlaintext
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig, StreamSource
from nats.js.errors import NotFoundError
from opentelemetry import trace

from wellflow_contracts.subjects import (
    DEFAULT_ROOT,
    feed_stream_name,
    stream_name,
    stream_subjects,
)

log = logging.getLogger(__name__)
tracer = trace.get_tracer("wellflow.consumer")

DUPLICATE_WINDOW_SECONDS = 10 * 60
RETENTION_SECONDS = 30 * 24 * 3600


def event_stream_config(
    root: str = DEFAULT_ROOT, *, replicas: int = 1, duplicate_window: float = DUPLICATE_WINDOW_SECONDS
) -> StreamConfig:
    return StreamConfig(
        name=stream_name(root),
        subjects=[*stream_subjects(root), f"{root}.dlq.>"],
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        max_age=RETENTION_SECONDS,
        duplicate_window=duplicate_window,
        num_replicas=replicas,
    )


def feed_stream_config(root: str = DEFAULT_ROOT, *, replicas: int = 1) -> StreamConfig:
    """The mirror outside systems' durable feeds read: every ``<root>.evt.>`` message, kept as long."""
    return StreamConfig(
        name=feed_stream_name(root),
        mirror=StreamSource(name=stream_name(root), filter_subject=f"{root}.evt.>"),
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        max_age=RETENTION_SECONDS,
        num_replicas=replicas,
    )


async def ensure_stream(target: str | JetStreamContext, root: str = DEFAULT_ROOT, *, replicas: int = 1) -> StreamConfig:
    """Create the integration-event stream and its feed mirror, or bring them up to date. Idempotent."""
    config = event_stream_config(root, replicas=replicas)
    connection = None
    if isinstance(target, str):
        connection = await nats.connect(**nats_connect_options(target), connect_timeout=5, max_reconnect_attempts=3)
        js = connection.jetstream()
    else:
        js = target
    try:
        for each in (config, feed_stream_config(root, replicas=replicas)):
            try:
                await js.stream_info(str(each.name))
            except NotFoundError:
                await js.add_stream(each)
            else:
                await js.update_stream(each)
    finally:
        if connection is not None:
            await connection.close()
    return config


def nats_connect_options(nats_url: str) -> dict[str, Any]:
    """``servers`` (NATS_URL may list several, comma-separated) and the ``user``/``password`` found in them.

    The credentials are passed as options too, because servers nats-py discovers from a cluster's gossip carry
    none in their URLs: without them a reconnect to a discovered node would be refused.
    """
    options: dict[str, Any] = {"servers": []}
    for server in (part.strip() for part in nats_url.split(",")):
        if not server:
            continue
        parts = urlsplit(server if "://" in server else f"nats://{server}")
        if parts.username and "user" not in options:
            options["user"] = unquote(parts.username)
            options["password"] = unquote(parts.password or "")
        host = parts.netloc.rpartition("@")[2]
        options["servers"].append(urlunsplit(parts._replace(netloc=host)))
    if not options["servers"]:
        raise ValueError("no NATS server given")
    return options


def create_broker(nats_url: str, *, service: str) -> NatsBroker:
    """A broker that reconnects for ever: a service outlives a NATS restart instead of giving up."""
    options = nats_connect_options(nats_url)
    security = SASLPlaintext(options["user"], options["password"]) if "user" in options else None
    return NatsBroker(
        options["servers"],
        security=security,
        name=f"wellflow-{service}",
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        ping_interval=10,
        max_outstanding_pings=3,
        log_level=logging.DEBUG,
    )


# The consumers and dead letters live in their own modules; their names stay importable from here.
from .consumers import ConsumerPolicy, EventConsumers, Handler, KeyedDispatcher  # noqa: E402
from .dead_letters import DeadLetter, DeadLetters  # noqa: E402

__all__ = [
    "ConsumerPolicy",
    "DeadLetter",
    "DeadLetters",
    "EventConsumers",
    "Handler",
    "KeyedDispatcher",
    "create_broker",
    "ensure_stream",
    "event_stream_config",
    "feed_stream_config",
    "nats_connect_options",
]
