"""Fixtures for servicekit's integration tests: a freshly provisioned and migrated sample service
database per test, and a JetStream stream under a subject root of the test's own."""

from __future__ import annotations

from pathlib import Path

import nats
import pytest

from wellflow_servicekit.database import Database

SAMPLE_SERVICE = Path(__file__).parent / "sample_service"


@pytest.fixture
async def sample_db(service_database):
    return await service_database("kit", migrations=SAMPLE_SERVICE)


@pytest.fixture
async def root(event_stream):
    return await event_stream()


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
