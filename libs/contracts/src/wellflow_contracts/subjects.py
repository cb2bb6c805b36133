"""The subject scheme: ``<root>.evt.<tenant_id>.<service>.<event>.v<N>``.

``root`` is ``wellflow`` in every deployment; tests use a random root so several runs can share one NATS.
The version stays a token of its own, so ``.v1`` and ``.v2`` of one event are different subjects.
"""

from __future__ import annotations

import re
from uuid import UUID

DEFAULT_ROOT = "wellflow"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")


def _check_root(root: str) -> str:
    if not _TOKEN.match(root):
        raise ValueError(f"subject root must be one NATS token, got {root!r}")
    return root


def stream_name(root: str = DEFAULT_ROOT) -> str:
    """The JetStream stream holding every integration event (and replays of dead letters)."""
    return f"{_check_root(root).upper()}_EVENTS"


def feed_stream_name(root: str = DEFAULT_ROOT) -> str:
    """The mirror of the events stream (its ``evt`` subjects only) that outside systems' feeds read from.

    Feeds are durable consumers on this mirror, never on the services' stream, so the service that manages
    them may create and delete consumers there and nowhere else (docs/integrations.md).
    """
    return f"{_check_root(root).upper()}_FEEDS"


def feed_consumer(tenant_id: UUID | str, name: str) -> str:
    """The durable consumer of one organization's feed ``name``: ``feed-<tenant id>-<name>``."""
    if not _TOKEN.match(name):
        raise ValueError(f"feed name must be letters, digits, '-' and '_', got {name!r}")
    return f"feed-{tenant_id}-{name}"


def stream_subjects(root: str = DEFAULT_ROOT) -> list[str]:
    root = _check_root(root)
    return [f"{root}.evt.>", f"{root}.replay.>"]


def event_subject(tenant_id: UUID | str, event_type: str, root: str = DEFAULT_ROOT) -> str:
    service, name, version = event_type.split(".")
    return f"{_check_root(root)}.evt.{tenant_id}.{service}.{name}.{version}"


def producer_filter(service: str, root: str = DEFAULT_ROOT) -> str:
    """Every event a service publishes, across tenants: what a consumer of that service subscribes to."""
    return f"{_check_root(root)}.evt.*.{service}.>"


def tenant_filter(tenant_id: UUID | str, root: str = DEFAULT_ROOT) -> str:
    """Every event of one tenant: what an outside system of that tenant may be allowed to read."""
    return f"{_check_root(root)}.evt.{tenant_id}.>"


def replay_subject(service: str, consumer: str, root: str = DEFAULT_ROOT) -> str:
    """Where a dead letter is republished for the one consumer that failed it."""
    return f"{_check_root(root)}.replay.{service}.{consumer}"


def dead_letter_subject(service: str, consumer: str, root: str = DEFAULT_ROOT) -> str:
    return f"{_check_root(root)}.dlq.{service}.{consumer}"
