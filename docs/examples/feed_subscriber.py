"""An outside system's subscriber of one organization's durable WellFlow feed (docs/integrations.md).

    python feed_subscriber.py --url nats://USER:PASSWORD@nats.example.com:4222 \
        --organization ORGANIZATION_ID --feed erp --store erp-events.sqlite3

It reads the feed's durable consumer (``feed-<organization>-<feed>`` on the ``WELLFLOW_FEEDS`` stream) and, for
every message, in ONE SQLite transaction records the event's ``ce-id`` and applies the event (here: stores
it); only after that commit does it acknowledge the message. So:

- killed before the commit: nothing was applied, NATS delivers the message again (after the ack wait);
- killed after the commit and before the ack reached NATS: the message comes again, its ``ce-id`` is known,
  and it is acknowledged without being applied twice;
- disconnected for hours: the consumer keeps its place on the server; the subscriber resumes where it acked.

Only nats-py and the standard library. Replace ``apply`` with what your system does with an event.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sqlite3
from pathlib import Path

import nats
from nats.errors import TimeoutError as NatsTimeout

FEED_STREAM = "WELLFLOW_FEEDS"


def open_store(path: Path) -> sqlite3.Connection:
    store = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN/COMMIT below
    store.execute("PRAGMA journal_mode=WAL")
    store.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut: the ack comes after it
    store.execute("CREATE TABLE IF NOT EXISTS processed (ce_id TEXT PRIMARY KEY, stream_seq INTEGER NOT NULL)")
    store.execute("CREATE TABLE IF NOT EXISTS events (ce_id TEXT PRIMARY KEY, type TEXT, subject TEXT, body TEXT)")
    return store


def apply(store: sqlite3.Connection, ce_id: str, event_type: str, subject: str, body: bytes) -> None:
    """Your system's work, inside the same transaction as the de-duplication record."""
    store.execute("INSERT INTO events VALUES (?, ?, ?, ?)", (ce_id, event_type, subject, body.decode()))


def handle(store: sqlite3.Connection, msg: nats.aio.msg.Msg) -> bool:
    """Apply one message exactly once; True if it was new. The caller acknowledges afterwards."""
    headers = msg.headers or {}
    ce_id = headers["ce-id"]
    store.execute("BEGIN IMMEDIATE")
    try:
        seen = store.execute("INSERT OR IGNORE INTO processed VALUES (?, ?)", (ce_id, msg.metadata.sequence.stream))
        new = seen.rowcount == 1
        if new:
            apply(store, ce_id, headers.get("ce-type", ""), msg.subject, msg.data)
        store.execute("COMMIT")
    except BaseException:
        store.execute("ROLLBACK")
        raise
    return new


async def run(url: str, organization: str, feed: str, store_path: Path, delay: float) -> None:
    store = open_store(store_path)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    nc = await nats.connect(url, max_reconnect_attempts=-1, reconnect_time_wait=1)
    js = nc.jetstream()
    consumer = f"feed-{organization}-{feed}"
    sub = await js.pull_subscribe_bind(consumer, FEED_STREAM)
    print(json.dumps({"subscribed": consumer}), flush=True)
    while not stop.is_set():
        try:
            messages = await sub.fetch(batch=20, timeout=2)
        except (NatsTimeout, TimeoutError):  # nothing new within the timeout
            continue
        for msg in messages:
            new = handle(store, msg)
            await msg.ack()  # after the commit: a crash in between means a redelivery, which handle() skips
            if delay:
                await asyncio.sleep(delay)  # (the test uses this to be killed mid-stream)
            print(json.dumps({"ce_id": msg.headers["ce-id"], "new": new}), flush=True)
    await nc.flush(timeout=2)  # the last acknowledgements out, then leave (the consumer stays on the server)
    await nc.close()
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="nats://user:password@host:4222 (from your WellFlow operator)")
    parser.add_argument("--organization", required=True, help="your organization id")
    parser.add_argument("--feed", required=True, help="the feed's name (POST /api/v1/feeds)")
    parser.add_argument("--store", type=Path, default=Path("feed.sqlite3"), help="where processed events are kept")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to pause after each event (testing)")
    args = parser.parse_args()
    asyncio.run(run(args.url, args.organization, args.feed, args.store, args.delay))


if __name__ == "__main__":
    main()
