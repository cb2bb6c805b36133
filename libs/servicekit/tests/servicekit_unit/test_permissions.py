"""The permission matrix in code equals the table in docs/permissions.md, cell by cell."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from fastapi import Depends, FastAPI

from wellflow_servicekit.auth import Principal
from wellflow_servicekit.permissions import MATRIX, Action, Resource, Role, allowed, require_permission
from wellflow_servicekit.problems import install_problem_handlers

DOC = Path(__file__).resolve().parents[4] / "docs" / "permissions.md"
CELL = {"RW": {"read", "write"}, "R": {"read"}, "-": set()}


def documented_matrix() -> dict[tuple[str, str], set[str]]:
    text = DOC.read_text()
    table = text.split("<!-- permission-matrix:start -->")[1].split("<!-- permission-matrix:end -->")[0]
    rows = [line for line in table.strip().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    roles = header[1:]
    cells: dict[tuple[str, str], set[str]] = {}
    for line in rows[2:]:
        parts = [cell.strip() for cell in line.strip("|").split("|")]
        for role, cell in zip(roles, parts[1:], strict=True):
            cells[(role, parts[0])] = CELL[cell]
    return cells


def test_the_documented_table_covers_every_role_and_resource():
    documented = documented_matrix()
    assert {role for role, _ in documented} == {r.value for r in Role}
    assert {resource for _, resource in documented} == {r.value for r in Resource}
    assert set(MATRIX) == set(Role)
    assert all(set(MATRIX[role]) == set(Resource) for role in Role)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("resource", list(Resource))
@pytest.mark.parametrize("action", list(Action))
def test_every_cell_of_the_matrix_matches_the_documentation(role, resource, action):
    expected = action.value in documented_matrix()[(role.value, resource.value)]
    assert allowed(role, resource, action) is expected
    assert allowed(role.value, resource.value, action.value) is expected


def test_the_seed_rules_hold():
    assert all(allowed("owner", r, a) for r in Resource for a in Action)
    assert not any(allowed("auditor", r, "write") for r in Resource)
    assert all(allowed("manager", r, "read") for r in Resource if r is not Resource.API_KEYS)
    assert allowed("pumper", "production", "write") and not allowed("pumper", "wells", "write")
    assert allowed("accountant", "accounting", "write") and allowed("accountant", "compliance", "write")


def test_unknown_roles_resources_and_actions_are_denied():
    assert not allowed("superuser", "wells", "read")
    assert not allowed("owner", "nuclear_codes", "read")
    assert not allowed("owner", "wells", "delete")


def test_a_typo_in_a_route_declaration_fails_at_import_time():
    with pytest.raises(ValueError):
        require_permission("well", "read")


@pytest.mark.parametrize(("role", "status"), [("pumper", 201), ("auditor", 403), ("accountant", 403)])
async def test_the_dependency_answers_403_as_a_problem_for_a_role_without_the_permission(role, status):
    class FixedVerifier:
        async def verify(self, token: str) -> Principal:
            return Principal(subject="u1", organization_id=uuid4(), role=role)

    app = FastAPI()
    install_problem_handlers(app)
    app.state.token_verifier = FixedVerifier()

    @app.post("/readings", status_code=201)
    async def record(principal: Principal = Depends(require_permission("production", "write"))) -> dict:
        return {"by": principal.subject}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.post("/readings", headers={"Authorization": "Bearer x"})
    assert response.status_code == status
    if status == 403:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["resource"] == "production"
