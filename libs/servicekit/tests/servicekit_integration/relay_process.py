"""Runs an outbox relay until killed; the kill test starts it as a child process."""

import asyncio
import os

import nats

from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.database import Database
from wellflow_servicekit.outbox import OutboxRelay


async def main() -> None:
    database = Database(os.environ["RELAY_DATABASE_URL"], service="kit", subject_root=os.environ["RELAY_ROOT"])
    connection = await nats.connect(os.environ["RELAY_NATS_URL"])
    relay = OutboxRelay(database, connection.jetstream(), stream=stream_name(os.environ["RELAY_ROOT"]), batch_size=50)
    await relay.start()
    await asyncio.Event().wait()


asyncio.run(main())
