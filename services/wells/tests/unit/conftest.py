"""Unit tests of the use cases on in-memory repositories (``fakes.py``): no PostgreSQL, no NATS.

The test folders have no ``__init__.py`` (pytest runs with ``--import-mode=importlib``), so ``fakes.py`` is
loaded here under a name of its own and reached through the fixtures.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from wellflow_servicekit.kernel import Actor
from wellflow_servicekit.testing import FakeDatabase, load_test_module
from wellflow_wells.app.registry import Registry


def _load_fakes() -> Any:
    return load_test_module(Path(__file__).with_name("fakes.py"), "wellflow_wells_unit_fakes")


NOW = datetime(2025, 6, 2, 15, 30, tzinfo=UTC)
ORG_A = UUID("01938a10-0000-7000-8000-00000000000a")
ORG_B = UUID("01938a10-0000-7000-8000-00000000000b")


@pytest.fixture
def fakes() -> Any:
    return _load_fakes()


@pytest.fixture
def database(fakes: Any) -> FakeDatabase:
    return FakeDatabase(fakes.FakeWellsWork)


@pytest.fixture
def registry(database: FakeDatabase) -> Registry:
    return Registry(database, clock=lambda: NOW)


@pytest.fixture
def manager() -> Actor:
    return Actor(id="manager-1", organization_id=ORG_A, role="manager")


@pytest.fixture
def outsider() -> Actor:
    return Actor(id="manager-b", organization_id=ORG_B, role="manager")
