from __future__ import annotations

import base64
import json
import time
from uuid import UUID

import pytest

from wellflow_gateway.openapi import merge_documents
from wellflow_gateway.routes import Route, RouteTable
from wellflow_servicekit.auth import Principal
from wellflow_servicekit.problems import Unauthorized
from wellflow_servicekit.token_cache import CachingTokenVerifier

X_REF = "#/components/schemas/X"
PAGE_REF = "#/components/schemas/Page"
TABLE = RouteTable((Route("/api/v1/auth", "identity"), Route("/api/v1/wells", "wells")), frozenset())


def _doc(paths: dict, schemas: dict | None = None) -> dict:
    return {"openapi": "3.1.0", "paths": paths, "components": {"schemas": schemas or {}}}


def test_merge_keeps_owned_paths_shares_equal_components_and_renames_clashes():
    shared = {"type": "object", "properties": {"type": {"type": "string"}}}
    identity = _doc(
        {
            "/api/v1/auth/signin": {
                "post": {"operationId": "op", "responses": {"200": {"$ref": "#/components/schemas/X"}}}
            }
        },
        {"Problem": shared, "X": {"type": "string"}},
    )
    wells = _doc(
        {
            "/api/v1/wells": {"get": {"operationId": "op", "responses": {"200": {"$ref": X_REF}}}},
            "/api/v1/auth/signin": {"post": {"summary": "hijack"}},
        },
        {"Problem": shared, "X": {"type": "integer"}},
    )
    merged = merge_documents({"identity": identity, "wells": wells}, TABLE)
    assert set(merged["paths"]) == {"/api/v1/auth/signin", "/api/v1/wells"}
    assert "summary" not in merged["paths"]["/api/v1/auth/signin"]["post"]
    schemas = merged["components"]["schemas"]
    assert schemas["Problem"] == {**shared, "title": "Problem"} and "WellsProblem" not in schemas
    # the clash is renamed in both services, so neither name depends on which service came first
    assert "X" not in schemas
    assert schemas["IdentityX"] == {"type": "string", "title": "IdentityX"}
    assert schemas["WellsX"] == {"type": "integer", "title": "WellsX"}
    identity_op = merged["paths"]["/api/v1/auth/signin"]["post"]
    assert identity_op["responses"]["200"]["$ref"] == "#/components/schemas/IdentityX"
    wells_op = merged["paths"]["/api/v1/wells"]["get"]
    assert wells_op["responses"]["200"]["$ref"] == "#/components/schemas/WellsX"
    assert wells_op["operationId"] == "wells__op"
    assert merged["x-wellflow-merge"]["dropped_paths"] == [
        {"service": "wells", "path": "/api/v1/auth/signin", "routed_to": "identity"}
    ]
    assert merged["x-wellflow-merge"]["renamed_components"] == [
        {"service": "identity", "component": "schemas/X", "as": "IdentityX"},
        {"service": "wells", "component": "schemas/X", "as": "WellsX"},
    ]


def test_a_schema_referring_to_a_renamed_one_is_renamed_with_it_and_titles_are_unique():
    """Two textually equal `Page`s that point at different `Item`s are different schemas: before, the first
    service's `Page` was shared and the second service's answers pointed at the first one's items; and a
    renamed schema kept its title, so openapi-python-client made two classes of one name and dropped one."""
    page = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}},
    }
    identity = _doc(
        {"/api/v1/auth/x": {"get": {"operationId": "identity_x", "responses": {"200": {"$ref": PAGE_REF}}}}},
        {"Page": page, "Item": {"type": "string", "title": "Item"}},
    )
    wells = _doc(
        {"/api/v1/wells": {"get": {"operationId": "wells_x", "responses": {"200": {"$ref": PAGE_REF}}}}},
        {"Page": page, "Item": {"type": "integer", "title": "Item"}},
    )
    merged = merge_documents({"identity": identity, "wells": wells}, TABLE)
    schemas = merged["components"]["schemas"]
    assert set(schemas) == {"IdentityItem", "IdentityPage", "WellsItem", "WellsPage"}
    assert schemas["WellsPage"]["properties"]["items"]["items"]["$ref"] == "#/components/schemas/WellsItem"
    assert schemas["IdentityPage"]["properties"]["items"]["items"]["$ref"] == "#/components/schemas/IdentityItem"
    assert [schema["title"] for schema in schemas.values()] == list(schemas)
    assert merged["paths"]["/api/v1/wells"]["get"]["responses"]["200"]["$ref"] == "#/components/schemas/WellsPage"
    # the same documents in any order give the same result
    again = merge_documents({"wells": wells, "identity": identity}, TABLE)
    assert again == merged


def test_a_renamed_schema_does_not_take_an_existing_name():
    identity = _doc({}, {"X": {"type": "string"}})
    wells = _doc({}, {"X": {"type": "integer"}, "WellsX": {"type": "boolean"}})
    schemas = merge_documents({"identity": identity, "wells": wells}, TABLE)["components"]["schemas"]
    assert schemas["WellsX"]["type"] == "boolean"
    assert schemas["WellsX2"]["type"] == "integer"
    assert schemas["IdentityX"]["type"] == "string"


def test_merge_reports_unavailable_services():
    merged = merge_documents({}, TABLE, unavailable={"wells": "ClientConnectorError"})
    assert merged["paths"] == {}
    assert merged["x-wellflow-merge"]["unavailable"] == {"wells": "ClientConnectorError"}


class CountingVerifier:
    def __init__(self) -> None:
        self.calls = 0

    async def verify(self, token: str) -> Principal:
        self.calls += 1
        if token.endswith("bad"):
            raise Unauthorized("nope")
        return Principal(subject="u", organization_id=UUID(int=1), role="owner")


def _token(exp: float) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"exp": exp}).encode()).rstrip(b"=").decode()
    return f"h.{payload}.s"


async def test_verified_tokens_are_cached_until_ttl_or_exp_and_failures_never():
    now = [1000.0]
    inner = CountingVerifier()
    verifier = CachingTokenVerifier(inner, ttl=30, clock=lambda: now[0])
    token = _token(exp=1010)
    await verifier.verify(token)
    await verifier.verify(token)
    assert inner.calls == 1
    now[0] = 1011  # past exp: verified again (and the inner verifier says expired in real life)
    await verifier.verify(token)
    assert inner.calls == 2
    long_lived = _token(exp=99999)
    await verifier.verify(long_lived)
    now[0] += 31  # past the ttl
    await verifier.verify(long_lived)
    assert inner.calls == 4
    for _ in range(2):
        with pytest.raises(Unauthorized):
            await verifier.verify(_token(exp=99999) + "bad")
    assert inner.calls == 6


async def test_token_cache_is_bounded():
    verifier = CachingTokenVerifier(CountingVerifier(), ttl=30, max_entries=10, clock=time.time)
    for index in range(25):
        await verifier.verify(_token(exp=time.time() + 100 + index))
    assert len(verifier) <= 10
