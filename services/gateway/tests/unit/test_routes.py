from __future__ import annotations

import pytest

from wellflow_gateway.routes import PUBLIC_PATHS, ROUTES, Route, RouteTable, is_safe_path


@pytest.fixture
def table() -> RouteTable:
    return RouteTable()


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/v1/auth/signin", "identity"),
        ("/api/v1/auth/token/api-key", "identity"),
        ("/api/v1/me", "identity"),
        ("/api/v1/organizations/current", "identity"),
        ("/api/v1/members/0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d01/role", "identity"),
        ("/api/v1/invitations/accept", "identity"),
        ("/api/v1/api-keys", "identity"),
        ("/api/v1/audit-log", "identity"),
        ("/.well-known/jwks.json", "identity"),
        ("/api/v1/wells", "wells"),
        ("/api/v1/wells/", "wells"),
        ("/api/v1/wells/42/status", "wells"),
        ("/api/v1/readings", "production"),
        ("/api/v1/form-pr/2026-10", "compliance"),
        ("/api/v1/afes/7", "accounting"),
    ],
)
def test_paths_route_to_their_owner(table: RouteTable, path: str, service: str):
    assert table.owner_of(path) == service


@pytest.mark.parametrize("path", ["/", "/api", "/api/v1", "/api/v1/wellsx", "/api/v2/wells", "/api/v1/unknown/x"])
def test_unrouted_paths_match_nothing(table: RouteTable, path: str):
    assert table.match(path) is None


def test_longest_prefix_wins():
    table = RouteTable((Route("/api/v1/wells", "wells"), Route("/api/v1/wells/tests", "production")), frozenset())
    assert table.owner_of("/api/v1/wells/tests/1") == "production"
    assert table.owner_of("/api/v1/wells/testsx") == "wells"
    assert table.owner_of("/api/v1/wells/1") == "wells"


def test_public_paths_are_exact(table: RouteTable):
    assert table.is_public("/api/v1/auth/signin")
    assert table.is_public("/api/v1/auth/signup/")
    assert table.is_public("/.well-known/jwks.json")
    assert not table.is_public("/api/v1/auth/switch-organization")
    assert not table.is_public("/api/v1/auth/signin/extra")
    assert not table.is_public("/api/v1/invitations")
    assert not table.is_public("/api/v1/me")


def test_table_rejects_duplicates_bad_prefixes_and_unrouted_public_paths():
    with pytest.raises(ValueError, match="claimed"):
        RouteTable((Route("/a", "x"), Route("/a", "y")), frozenset())
    with pytest.raises(ValueError, match="must start"):
        RouteTable((Route("a/", "x"),), frozenset())
    with pytest.raises(ValueError, match="not routed"):
        RouteTable((Route("/a", "x"),), frozenset({"/b"}))


def test_every_public_path_is_routed_and_the_default_table_is_valid():
    table = RouteTable(ROUTES, PUBLIC_PATHS)
    assert all(table.match(path) for path in PUBLIC_PATHS)
    assert set(table.services()) == {
        "identity",
        "wells",
        "production",
        "compliance",
        "accounting",
        "integrations",
        "documents",
        "notifications",
    }


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("/api/v1/wells", True),
        ("/api/v1/wells/", True),
        ("/api/v1/wells/a.b", True),
        ("/api/v1/wells/../me", False),
        ("/api/v1/wells/./x", False),
        ("/api/v1//wells", False),
        ("/api/v1/wells\\..\\me", False),
        ("api/v1/wells", False),
        ("/api/v1/wells\x00", False),
    ],
)
def test_safe_paths(path: str, safe: bool):
    assert is_safe_path(path) is safe
