"""What both benchmarks need: servers (existing ones, or embedded in a temp folder), a provisioned
service database with the messaging tables, a stream under a subject root of the run's own."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from uuid import uuid4

import nats
from sqlalchemy.ext.asyncio import create_async_engine

from wellflow_contracts import IntegrationEvent
from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.provisioning import drop_service_database, provision_service_database
from wellflow_servicekit.tables import messaging_metadata


class ReadingRecorded(IntegrationEvent):
    """A daily reading was recorded for a well (benchmark event, shaped like production's)."""

    type: Literal["bench.reading_recorded.v1"] = "bench.reading_recorded.v1"
    well_id: str
    reading_date: str
    oil_bbl: str
    gas_mcf: str
    water_bbl: str

    aggregate_field = "well_id"


@dataclass
class BenchEnv:
    admin_url: str
    nats_url: str
    runtime_url: str
    owner_url: str
    root: str
    where: str

    @property
    def stream(self) -> str:
        return stream_name(self.root)


@contextlib.contextmanager
def servers() -> Iterator[tuple[str, str, str]]:
    """(admin URL, NATS URL, a description): the servers named by WELLFLOW_DATABASE_URL and
    WELLFLOW_NATS_URL, else embedded ones in a temporary folder, stopped on exit."""
    with contextlib.ExitStack() as stack:
        admin_url = os.environ.get("WELLFLOW_DATABASE_URL")
        nats_url = os.environ.get("WELLFLOW_NATS_URL")
        where = "existing servers"
        if not admin_url or not nats_url:
            from wellflow_devstack.servers import EmbeddedNats, EmbeddedPostgres, free_port

            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wellflow-bench-")))
            where = "embedded PostgreSQL and NATS (fsync on)"
            if not admin_url:
                pg = EmbeddedPostgres(folder / "pg", free_port())
                pg.start()
                stack.callback(pg.stop)
                admin_url = pg.admin_url
            if not nats_url:
                server = EmbeddedNats(folder / "nats", free_port())
                server.start()
                stack.callback(server.stop)
                nats_url = server.url
        yield admin_url, nats_url, where


@contextlib.asynccontextmanager
async def bench_env() -> AsyncIterator[BenchEnv]:
    with servers() as (admin_url, nats_url, where):
        suffix = f"_b{uuid4().hex[:8]}"
        database = await provision_service_database(
            admin_url, "bench", owner_password="bench-owner", runtime_password="bench-app", database_suffix=suffix
        )
        try:
            engine = create_async_engine(database.owner_url)
            async with engine.begin() as conn:
                await conn.run_sync(messaging_metadata.create_all)
            await engine.dispose()
            root = f"wfbench{uuid4().hex[:6]}"
            await ensure_stream(nats_url, root)
            try:
                yield BenchEnv(admin_url, nats_url, database.runtime_url, database.owner_url, root, where)
            finally:
                connection = await nats.connect(nats_url)
                await connection.jetstream().delete_stream(stream_name(root))
                await connection.close()
        finally:
            await drop_service_database(admin_url, "bench", database_suffix=suffix)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]
