"""The gateway's route table (services/gateway/src/wellflow_gateway/routes.py) against the services'
declarations: a service that declares ``routes`` (path prefixes) and ``public`` (paths without a token) in
its ``[tool.wellflow.service]`` table is routed exactly so by the gateway, and the table routes no
prefix to a service that is not declared. A service that declares no routes yet is left to the table."""

from __future__ import annotations

import pytest
from deploy_helpers import DEPLOYABLES

from wellflow_gateway.routes import PUBLIC_PATHS, ROUTES, RouteTable


def test_the_gateway_routes_only_to_declared_services():
    declared = {spec.name for spec in DEPLOYABLES}
    assert {route.service for route in ROUTES} <= declared


def test_each_declared_prefix_and_public_path_is_the_gateways():
    declaring = [spec for spec in DEPLOYABLES if spec.routes or spec.public]
    if not declaring:
        pytest.skip("no service declares its routes yet; the gateway's table is the only list")
    table = RouteTable()
    for spec in declaring:
        assert {r.prefix for r in ROUTES if r.service == spec.name} == set(spec.routes), spec.name
        for path in spec.public:
            assert path in PUBLIC_PATHS and table.match(path).service == spec.name, path
    if all(spec.routes for spec in DEPLOYABLES if spec.name in {r.service for r in ROUTES}):
        assert {path for spec in DEPLOYABLES for path in spec.public} == PUBLIC_PATHS
