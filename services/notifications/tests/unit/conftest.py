"""Unit tests of notifications' rules and use cases on in-memory repositories (``fakes.py``, loaded under a name
of its own: test folders are not packages)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from wellflow_servicekit.testing import load_test_module


@pytest.fixture(scope="session")
def fakes() -> ModuleType:
    return load_test_module(Path(__file__).with_name("fakes.py"), "wellflow_notifications_unit_fakes")
