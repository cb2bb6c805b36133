"""What the submission queue needs of the RRC portal, as a port: the client's protocol and its three
outcomes (a receipt, a final rejection, a transient failure), the circuit breaker every call goes through,
the queue's settings and its metrics. ``adapters/portal.py``, ``adapters/breaker.py`` and
``adapters/metrics.py`` implement them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class PortalReceipt:
    """The portal filed the report (now or on an earlier call with the same submission key)."""

    confirmation_number: str
    accepted_at: datetime


class PortalRejected(Exception):
    """The portal refused the report; trying again cannot help until the report is corrected."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons) or ["The portal refused the report without giving a reason."]
        super().__init__("; ".join(self.reasons))


class PortalUnavailable(Exception):
    """The portal could not take the report now (timeout, connection, 5xx, 429); try again later.

    `retry_after` is the portal's own advice in seconds (Retry-After), when it gave one.
    """

    def __init__(self, reason: str, *, retry_after: float | None = None, status: int | None = None) -> None:
        self.reason = reason
        self.retry_after = retry_after
        self.status = status
        super().__init__(reason)


class BreakerOpen(Exception):
    """The breaker refused the call without reaching the portal; `retry_after` says when it may let one through."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"circuit breaker open: the portal is not called for another {retry_after:.1f} s")


class PortalAdapter(Protocol):
    """Files one Form PR version. The same `submission_key` must never file twice, however often it is sent."""

    async def submit(self, submission_key: str, payload: dict[str, Any]) -> PortalReceipt: ...

    async def aclose(self) -> None: ...


class Breaker(Protocol):
    """The circuit breaker every call to the portal goes through (raises ``BreakerOpen`` when it refuses)."""

    @property
    def state(self) -> str: ...

    @property
    def fail_counter(self) -> int: ...

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T: ...

    def snapshot(self) -> dict[str, Any]: ...


class QueuePolicy(Protocol):
    """The settings the submission queue follows (``PortalSettings`` has them)."""

    @property
    def rrc_portal_adapter(self) -> str: ...

    @property
    def portal_timeout_seconds(self) -> float: ...

    @property
    def portal_retry_attempts(self) -> int: ...

    @property
    def portal_retry_initial_seconds(self) -> float: ...

    @property
    def portal_retry_max_seconds(self) -> float: ...

    @property
    def submission_max_attempts(self) -> int: ...

    @property
    def submission_backoff_base_seconds(self) -> float: ...

    @property
    def submission_backoff_max_seconds(self) -> float: ...

    @property
    def submission_poll_interval_seconds(self) -> float: ...

    @property
    def submission_batch_size(self) -> int: ...


class WorkerMetrics(Protocol):
    def attempted(self, outcome: str) -> None: ...

    def gave_up(self) -> None: ...

    def queue_depth(self, depth: int) -> None: ...
