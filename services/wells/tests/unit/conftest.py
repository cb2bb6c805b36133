"""Unit tests of the use cases on in-memory repositories (``fakes.py``): no PostgreSQL, no NATS.

The test folders have no ``__init__.py`` (pytest runs with ``--import-mode=importlib``), so ``fakes.py`` is
loaded here under a name of its own and reached through the fixtures.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from wellflow_servicekit.kernel import Actor
from wellflow_servicekit.testing import FakeDatabase
from wellflow_wells.app.registry import Registry


def _load_fakes() -> Any:
    name = "wellflow_wells_unit_fakes"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fakes.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


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
