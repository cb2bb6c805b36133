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

Each service's NATS user may subscribe only to its own reply inboxes (``NATS_INBOX_PREFIX``, by default
``_INBOX_<service>``: nats-py's shared ``_INBOX`` would let one service read another's replies) and create only
its own consumers (deploy/nats/accounts.conf). ``tls://`` URLs connect over TLS, verified against
``NATS_TLS_CA_FILE`` when given (the deployment's private CA), else the system's trusted CAs.
"""

from __future__ import annotations

import logging
import ssl
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import nats
from faststream.nats import NatsBroker
from faststream.nats.security import NatsSecurity
from faststream.security import BaseSecurity, SASLPlaintext
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

from .settings import default_inbox_prefix

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


async def ensure_stream(
    target: str | JetStreamContext, root: str = DEFAULT_ROOT, *, replicas: int = 1, tls_ca_file: str | None = None
) -> StreamConfig:
    """Create the integration-event stream and its feed mirror, or bring them up to date. Idempotent."""
    config = event_stream_config(root, replicas=replicas)
    connection = None
    if isinstance(target, str):
        options = nats_connect_options(target, tls_ca_file=tls_ca_file)
        connection = await nats.connect(**options, connect_timeout=5, max_reconnect_attempts=3)
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


def nats_tls_context(ca_file: str | None) -> ssl.SSLContext | None:
    """A client context that verifies the server's certificate and name against ``ca_file`` (None: no file given,
    nats-py then uses the system's trusted CAs for a tls:// URL)."""
    if not ca_file:
        return None
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def nats_connect_options(
    nats_url: str, *, inbox_prefix: str | None = None, tls_ca_file: str | None = None
) -> dict[str, Any]:
    """``servers`` (NATS_URL may list several, comma-separated) and the ``user``/``password`` found in them;
    ``inbox_prefix`` and ``tls`` (a context verifying against ``tls_ca_file``) when given.

    The credentials are passed as options too, because servers nats-py discovers from a cluster's gossip carry
    none in their URLs: without them a reconnect to a discovered node would be refused.
    """
    options: dict[str, Any] = {"servers": []}
    if inbox_prefix:
        options["inbox_prefix"] = inbox_prefix
    context = nats_tls_context(tls_ca_file)
    if context is not None:
        options["tls"] = context
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


def create_broker(
    nats_url: str, *, service: str, inbox_prefix: str | None = None, tls_ca_file: str | None = None
) -> NatsBroker:
    """A broker that reconnects for ever: a service outlives a NATS restart instead of giving up. Its replies
    arrive under ``inbox_prefix`` (default ``_INBOX_<service>``, the only inboxes its NATS user may read)."""
    options = nats_connect_options(nats_url, tls_ca_file=tls_ca_file)
    context: ssl.SSLContext | None = options.get("tls")
    security: BaseSecurity | None = None
    if "user" in options:
        security = SASLPlaintext(options["user"], options["password"], ssl_context=context)
    elif context is not None:
        security = NatsSecurity(ssl_context=context)
    return NatsBroker(
        options["servers"],
        security=security,
        inbox_prefix=inbox_prefix or default_inbox_prefix(service),
        name=f"wellflow-{service}",
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        ping_interval=10,
        max_outstanding_pings=3,
        log_level=logging.DEBUG,
    )


# The consumers and dead letters live in their own modules; their names stay importable from here.
from .consumers import ConsumerPolicy, EventConsumers, Handler  # noqa: E402
from .dead_letters import DeadLetter, DeadLetters  # noqa: E402
from .dispatcher import KeyedDispatcher  # noqa: E402

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
    "nats_tls_context",
]
