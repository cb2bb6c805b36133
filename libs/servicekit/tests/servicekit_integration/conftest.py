"""Fixtures for servicekit's integration tests: a freshly provisioned and migrated sample service
database per test, and a JetStream stream under a subject root of the test's own."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import uuid4

import nats
import pytest

from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.database import Database
from wellflow_servicekit.migrations import upgrade

SAMPLE_SERVICE = Path(__file__).parent / "sample_service"


@pytest.fixture
async def sample_db(service_database):
    provisioned = await service_database("kit")
    await asyncio.to_thread(upgrade, SAMPLE_SERVICE, provisioned.owner_url)
    return provisioned


@pytest.fixture
async def root(infra):
    root = f"{infra.subject_root}t{uuid4().hex[:8]}"
    await ensure_stream(infra.nats_url, root)
    yield root
    try:
        connection = await nats.connect(infra.nats_url, connect_timeout=2, max_reconnect_attempts=1)
        await connection.jetstream().delete_stream(stream_name(root))
        await connection.close()
    except Exception:  # NATS may be down after a fault test; the stream dies with the server then
        pass


@pytest.fixture
async def database(sample_db, root):
    database = Database(sample_db.runtime_url, service="kit", subject_root=root, pool_size=20)
    yield database
    await database.dispose()


@pytest.fixture
async def owner_database(sample_db, root):
    database = Database(sample_db.owner_url, service="kit", subject_root=root, pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
async def nc(infra):
    connection = await nats.connect(infra.nats_url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    yield connection
    await connection.close()
