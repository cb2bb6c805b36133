"""Settings of the gateway's tests come from the tests, not from the developer's shell."""

from __future__ import annotations

import os

import pytest

from wellflow_gateway.settings import GatewaySettings


@pytest.fixture(autouse=True)
def _no_gateway_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    names = {name.upper() for name in GatewaySettings.model_fields}
    for name in list(os.environ):
        if name.upper() in names:
            monkeypatch.delenv(name)
