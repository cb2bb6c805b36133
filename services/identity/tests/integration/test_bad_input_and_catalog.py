"""Bad input gets a problem naming the field and writes nothing; the schema follows the tenancy rules."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import create_async_engine

from wellflow_servicekit.migrations import find_rls_gaps, runtime_role_problems


async def _written(service) -> tuple[int, int]:
    users = await service.owner_query("SELECT count(*) FROM users")
    events = await service.owner_query("SELECT count(*) FROM outbox")
    return users[0][0], events[0][0]


def _signup(email="new@example.com", password="correct horse battery staple", **org):
    return {
        "organization": {"name": "Delta Oil", **org},
        "user": {"email": email, "password": password, "full_name": "Dee Delta"},
    }


async def test_each_kind_of_bad_sign_up_is_a_problem_naming_the_field_and_nothing_is_written(service):
    await service.sign_up(email="taken@example.com")
    before = await _written(service)
    cases = [
        ({"content": b'{"organization": {"name": "x"', "headers": {"content-type": "application/json"}}, 422, "body"),
        ({"json": {"organization": {"name": "Delta Oil"}}}, 422, "body.user"),
        ({"json": _signup(password="short")}, 422, "body.user.password"),
        ({"json": _signup(email="not-an-email")}, 422, "body.user.email"),
        ({"json": _signup(rrc_operator_number="12345")}, 422, "body.organization.rrc_operator_number"),
        ({"json": _signup(email="TAKEN@example.com")}, 409, "body.user.email"),
    ]
    for request, status, field in cases:
        response = await service.client.post("/api/v1/auth/signup", **request)
        assert response.status_code == status, (field, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert await _written(service) == before


async def test_sign_in_with_missing_fields_names_them(service):
    response = await service.client.post("/api/v1/auth/signin", json={"email": "a@example.com"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.password"]


async def test_authenticated_endpoints_refuse_requests_without_a_valid_token(service):
    assert (await service.client.get("/api/v1/me")).status_code == 401
    forged = await service.client.get("/api/v1/members", headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged.status_code == 401 and forged.headers["content-type"] == "application/problem+json"


async def test_every_tenant_table_has_forced_rls_and_the_runtime_role_is_plain(service, identity_db):
    owner = create_async_engine(identity_db.owner_url)
    runtime = create_async_engine(identity_db.runtime_url)
    try:
        async with owner.connect() as conn:
            assert await find_rls_gaps(conn) == []
        async with runtime.connect() as conn:
            assert await runtime_role_problems(conn) == []
    finally:
        await owner.dispose()
        await runtime.dispose()


async def test_the_openapi_document_describes_the_api_for_the_gateway(service):
    document = (await service.client.get("/openapi.json")).json()
    paths = set(document["paths"])
    assert {"/api/v1/auth/signup", "/api/v1/auth/token/api-key", "/api/v1/members/{user_id}"} <= paths
    assert "/.well-known/jwks.json" in paths
