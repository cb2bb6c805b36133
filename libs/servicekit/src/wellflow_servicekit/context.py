"""Per-request context that logs, problems and the database need without threading it through calls.

The HTTP middleware sets `request_id_var` for every request; `auth.get_principal` sets `tenant_id_var`
once the token is verified (the tenant never comes from anything a client can choose). Event consumers
set the tenant and `event_var` (the event's id, type and subject) for each message they handle. Readers
treat `None` as "not inside a request or message".
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import NamedTuple
from uuid import UUID


class EventContext(NamedTuple):
    """The event a consumer is handling, for the log lines written meanwhile."""

    event_id: str
    event_type: str
    subject: str


request_id_var: ContextVar[str | None] = ContextVar("wellflow_request_id", default=None)
tenant_id_var: ContextVar[UUID | None] = ContextVar("wellflow_tenant_id", default=None)
event_var: ContextVar[EventContext | None] = ContextVar("wellflow_event", default=None)
