"""Does an event belong to the tenant its subject names? Consumers refuse one that does not.

An event subject is ``<root>.evt.<tenant>.<service>.<event>.<version>`` and NATS grants publishing per tenant
subject (an outside system of organization A may publish on A's subjects only), so an envelope naming another
tenant than its subject is a forgery or a bug: applying it would write into the other tenant's data. A replayed
dead letter comes on ``<root>.replay.<service>.<consumer>``, with the subject it first came on in
``ORIGINAL_SUBJECT_HEADER`` (set by `DeadLetters.replay`), and is checked against that one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from uuid import UUID

from wellflow_contracts import IntegrationEvent, MalformedEnvelope

from .dead_letters import ORIGINAL_SUBJECT_HEADER

log = logging.getLogger("wellflow_servicekit.consumers")


class TenantMismatch(MalformedEnvelope):
    """The envelope names another tenant than the subject: dead-lettered like an unreadable message."""


def first_subject(root: str, subject: str, headers: Mapping[str, str]) -> str:
    """The subject an event first came on: a replay's original one (a replay failing again stays replayable,
    and is checked against its first subject), any other message's own."""
    if subject.startswith(f"{root}.replay."):
        return headers.get(ORIGINAL_SUBJECT_HEADER) or subject
    return subject


def tenant_mismatch(root: str, subject: str, headers: Mapping[str, str], event: IntegrationEvent) -> str | None:
    """Why the event's tenant is not the one its subject names, or None when they agree. A replay published
    before the original-subject header existed is let through: replays are the service's own."""
    original = first_subject(root, subject, headers)
    if original.startswith(f"{root}.replay."):
        return None
    parts = original.split(".")
    if len(parts) != 6 or parts[0] != root or parts[1] != "evt":
        return f"tenant mismatch: the subject {original!r} is not an event subject"
    if parts[2] != str(event.tenant_id):
        return f"tenant mismatch: the subject names tenant {parts[2]}, the envelope {event.tenant_id}"
    return None


def check_tenant(root: str, subject: str, headers: Mapping[str, str], event: IntegrationEvent, consumer: str) -> None:
    """Raise `TenantMismatch` (after an error log) unless the event belongs to the tenant its subject names."""
    mismatch = tenant_mismatch(root, subject, headers, event)
    if mismatch is not None:
        log.error("%s refused event %s: %s", consumer, event.event_id, mismatch)
        raise TenantMismatch(mismatch)


def uuid_or_none(value: str | None) -> UUID | None:
    """A header's UUID, or None when it is missing or not one."""
    try:
        return UUID(value) if value else None
    except ValueError:
        return None
