"""Unit tests of identity's use cases on in-memory repositories (``fakes.py``), without PostgreSQL.

The test folders have no ``__init__.py`` (every service has a ``tests/unit``), so ``fakes.py`` is loaded
here under a name of its own and reached through the fixtures.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from wellflow_identity.app.context import Identity
from wellflow_servicekit.testing import FakeDatabase


def _load_fakes() -> ModuleType:
    name = "wellflow_identity_unit_fakes"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fakes.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def fakes() -> ModuleType:
    return _load_fakes()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def database(fakes: ModuleType) -> FakeDatabase:
    return FakeDatabase(fakes.FakeIdentityWork)


@pytest.fixture
def sign_ins() -> list[str]:
    """Each password check's outcome, as ``Identity.on_sign_in`` reports them."""
    return []


@pytest.fixture
def identity(database: FakeDatabase, clock: Clock, fakes: ModuleType, sign_ins: list[str]) -> Identity:
    return Identity(
        database=database,  # type: ignore[arg-type]
        keys=fakes.UnsignedKeys(),
        passwords=fakes.PlainPasswords(),
        settings=fakes.Config(),
        clock=clock,
        on_sign_in=sign_ins.append,
    )
