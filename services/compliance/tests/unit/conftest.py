"""Makes ``fake_stores.py`` and ``fakes.py`` importable as ``wellflow_compliance_unit_fake_stores`` and
``wellflow_compliance_unit_fakes`` (``wellflow_servicekit.testing.load_test_module``: test folders are not
packages, and a plain ``fakes`` could be another service's)."""

from __future__ import annotations

from pathlib import Path

from wellflow_servicekit.testing import load_test_module

HERE = Path(__file__).parent

load_test_module(HERE / "fake_stores.py", "wellflow_compliance_unit_fake_stores")
load_test_module(HERE / "fakes.py", "wellflow_compliance_unit_fakes")
