"""Deleting a test's JetStream streams (its events and their feed mirror) when it ends: the durable consumers on
them go too. Kept for a whole session, a full run's hundreds of streams and thousands of consumers slowed the
server down for every later test. Used by ``pytest_plugin.event_stream``."""

from __future__ import annotations

import contextlib


async def delete_streams(nats_url: str, roots: list[str]) -> None:
    import nats

    from wellflow_contracts.subjects import feed_stream_name, stream_name

    try:
        connection = await nats.connect(nats_url, connect_timeout=2, max_reconnect_attempts=1)
    except Exception:  # NATS is stopped (a fault test) or gone: its streams with it, or the next test's problem
        return
    try:
        for name in [name for root in roots for name in (stream_name(root), feed_stream_name(root))]:
            with contextlib.suppress(Exception):
                await connection.jetstream().delete_stream(name)
    finally:
        await connection.close()
