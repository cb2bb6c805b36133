from __future__ import annotations

import json
from uuid import UUID

import pytest

from wellflow_gateway.settings import load_gateway_settings, load_gateway_settings_or_exit
from wellflow_servicekit.settings import ConfigurationError

BASE = {
    "wellflow_service_urls": json.dumps({"identity": "http://127.0.0.1:8101/", "gateway": "http://127.0.0.1:8000"}),
    "jwks_url": "http://127.0.0.1:8101/.well-known/jwks.json",
    "jwt_issuer": "wellflow-identity",
    "jwt_audience": "wellflow",
}


def test_reads_the_devstack_environment(monkeypatch: pytest.MonkeyPatch):
    for key, value in BASE.items():
        monkeypatch.setenv(key.upper(), value)
    monkeypatch.setenv("GATEWAY_CELLS", json.dumps({"b": {"wells": "http://10.0.0.2:8102"}}))
    monkeypatch.setenv("GATEWAY_TENANT_CELLS", json.dumps({"0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d01": "b"}))
    settings = load_gateway_settings()
    assert settings.default_cell == {"identity": "http://127.0.0.1:8101"}  # without itself, no trailing slash
    assert settings.gateway_cells == {"b": {"wells": "http://10.0.0.2:8102"}}
    assert settings.gateway_tenant_cells == {UUID("0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d01"): "b"}
    assert settings.http_port == 8000


def test_missing_variables_are_named_without_values():
    with pytest.raises(ConfigurationError) as caught:
        load_gateway_settings()
    problems = "\n".join(caught.value.problems)
    for name in ("WELLFLOW_SERVICE_URLS: missing", "JWKS_URL: missing", "JWT_ISSUER: missing", "JWT_AUDIENCE: missing"):
        assert name in problems


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"wellflow_service_urls": "{not json"}, "WELLFLOW_SERVICE_URLS: is not valid JSON"),
        ({"wellflow_service_urls": json.dumps({"wells": "ftp://x"})}, "WELLFLOW_SERVICE_URLS"),
        ({"jwt_algorithms": "HS256"}, "JWT_ALGORITHMS: HS256 is a shared-secret algorithm"),
        ({"jwt_algorithms": "none"}, "JWT_ALGORITHMS"),
        ({"gateway_tenant_cells": json.dumps({"0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d01": "nowhere"})}, "nowhere"),
        ({"gateway_cells": json.dumps({"default": {}})}, "GATEWAY_CELLS"),
        ({"gateway_rate_limit_ip_per_second": "0"}, "GATEWAY_RATE_LIMIT_IP_PER_SECOND"),
    ],
)
def test_bad_values_are_explained(override: dict[str, str], message: str):
    with pytest.raises(ConfigurationError) as caught:
        load_gateway_settings(**{**BASE, **override})
    assert message in str(caught.value)


def test_entrypoint_exits_with_status_2(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as caught:
        load_gateway_settings_or_exit(**{**BASE, "jwks_url": "file:///etc/passwd"})
    assert caught.value.code == 2
    assert "JWKS_URL" in capsys.readouterr().err
