"""One attempt at filing a submission: through the breaker, with tenacity's quick retries for transient
failures only, and the wait before the next queued attempt when it did not come to a final answer."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from .portal import Breaker, BreakerOpen, PortalAdapter, PortalRejected, PortalUnavailable, QueuePolicy

log = logging.getLogger(__name__)

RETRY_AFTER_CAP_SECONDS = 86400.0


@dataclass(frozen=True)
class Attempt:
    """What one attempt came to."""

    outcome: str  # accepted, rejected, transient, refused (the breaker did not let any call through)
    calls: int
    confirmation_number: str | None = None
    accepted_at: datetime | None = None
    reasons: tuple[str, ...] = ()
    error: str | None = None
    retry_after: float | None = None


def _retrying(policy: QueuePolicy) -> AsyncRetrying:
    """Tenacity's retries within one attempt: exponential with jitter, or the portal's Retry-After when it
    fits; a Retry-After longer than one attempt waits sends the submission back to the queue at once."""
    exponential = wait_exponential_jitter(
        multiplier=policy.portal_retry_initial_seconds,
        max=policy.portal_retry_max_seconds,
        jitter=policy.portal_retry_initial_seconds,
    )

    def advice(retry_state: Any) -> float | None:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        return error.retry_after if isinstance(error, PortalUnavailable) else None

    def wait(retry_state: Any) -> float:
        advised = advice(retry_state)
        return min(advised, policy.portal_retry_max_seconds) if advised is not None else exponential(retry_state)

    def advice_too_long(retry_state: Any) -> bool:
        advised = advice(retry_state)
        return advised is not None and advised > policy.portal_retry_max_seconds

    return AsyncRetrying(
        retry=retry_if_exception_type(PortalUnavailable),  # never CancelledError, BreakerOpen, rejections
        stop=stop_after_attempt(policy.portal_retry_attempts) | advice_too_long,
        wait=wait,
        reraise=True,
    )


async def attempt(
    adapter: PortalAdapter, breaker: Breaker, policy: QueuePolicy, submission_key: str, payload: dict[str, Any]
) -> Attempt:
    """One attempt at filing ``payload`` under ``submission_key``."""
    calls = 0
    last_unavailable: PortalUnavailable | None = None

    async def call() -> Any:
        nonlocal calls
        calls += 1
        return await adapter.submit(submission_key, payload)

    try:
        async for try_ in _retrying(policy):
            with try_:
                try:
                    receipt = await breaker.call(call)
                except PortalUnavailable as exc:
                    last_unavailable = exc
                    raise
    except PortalRejected as exc:
        return Attempt("rejected", calls, reasons=tuple(exc.reasons))
    except BreakerOpen as exc:
        if calls == 0:
            return Attempt("refused", 0, error=str(exc), retry_after=exc.retry_after)
        error = f"{last_unavailable}; then {exc}" if last_unavailable else str(exc)
        return Attempt("transient", calls, error=error, retry_after=exc.retry_after)
    except PortalUnavailable as exc:
        return Attempt("transient", calls, error=exc.reason, retry_after=exc.retry_after)
    except NotImplementedError as exc:
        return Attempt("transient", calls, error=str(exc))
    except Exception as exc:  # a bug or an unreadable answer: keep the submission, show the error
        log.exception("unexpected error while filing submission %s", submission_key)
        return Attempt("transient", calls, error=f"{type(exc).__name__}: {exc}")
    return Attempt("accepted", calls, confirmation_number=receipt.confirmation_number, accepted_at=receipt.accepted_at)


def backoff_seconds(policy: QueuePolicy, attempt_no: int, retry_after: float | None, jitter: random.Random) -> float:
    """Wait before the next queued attempt: the portal's advice if it gave one, else exponential backoff
    (base x 2^(n-1), capped at SUBMISSION_BACKOFF_MAX_SECONDS) with "equal jitter" (between half and all
    of it), so replicas spread out."""
    if retry_after is not None:  # the portal's advice wins over our own cap, within a day
        return min(max(retry_after, 0.0), RETRY_AFTER_CAP_SECONDS)
    ceiling = min(policy.submission_backoff_max_seconds, policy.submission_backoff_base_seconds * 2 ** (attempt_no - 1))
    return ceiling / 2 + jitter.uniform(0, ceiling / 2)
