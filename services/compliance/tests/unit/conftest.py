"""Makes ``fake_stores.py`` and ``fakes.py`` importable as ``wellflow_compliance_unit_fake_stores`` and
``wellflow_compliance_unit_fakes``: the suite runs with ``--import-mode=importlib``, so a test directory is not on
``sys.path``, and plain names would collide with other services' test helpers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def _load(name: str, file: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(file))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_load("wellflow_compliance_unit_fake_stores", "fake_stores.py")
_load("wellflow_compliance_unit_fakes", "fakes.py")
