"""Unit tests of identity's use cases on in-memory repositories (``fakes.py``), without PostgreSQL.

The test folders have no ``__init__.py`` (every service has a ``tests/unit``), so ``fakes.py`` is loaded
here under a name of its own and reached through the fixtures.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from wellflow_identity.app.context import Identity
from wellflow_servicekit.permissions import allowed
from wellflow_servicekit.testing import FakeDatabase, load_test_module


def _load_fakes() -> Any:
    return load_test_module(Path(__file__).with_name("fakes.py"), "wellflow_identity_unit_fakes")


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
        permits=allowed,
    )
