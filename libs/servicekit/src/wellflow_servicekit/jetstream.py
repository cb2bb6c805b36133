"""Creating a durable pull consumer on JetStream, patient with a busy server."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from nats.errors import TimeoutError as NatsTimeoutError

log = logging.getLogger(__name__)

CONSUMER_CREATE_ATTEMPTS = 5


async def pull_subscribe(js: Any, subject: str, *, durable: str, stream: str, config: Any) -> Any:
    """Create or reattach a durable pull consumer; a JetStream API request that times out is asked again.

    A server creating many consumers at once (a whole stack starting, on a busy disk) can take longer than the
    request's timeout; creating a durable consumer with the same configuration again is idempotent, so the start
    waits it out (up to ``CONSUMER_CREATE_ATTEMPTS`` tries) instead of failing the service.
    """
    for attempt in range(1, CONSUMER_CREATE_ATTEMPTS + 1):
        try:
            return await js.pull_subscribe(subject, durable=durable, stream=stream, config=config)
        except NatsTimeoutError:
            if attempt == CONSUMER_CREATE_ATTEMPTS:
                raise
            log.warning("creating consumer %s timed out (attempt %d); asking again", durable, attempt)
            await asyncio.sleep(0.5 * attempt)
    raise AssertionError("unreachable")
