"""The catalog of every service database the system runs on (``SERVICES`` in conftest.py): each tenant table
has row level security enabled and forced with a policy, and each runtime role is neither a superuser nor
BYPASSRLS, so a query that forgets its organization filter still sees one tenant only."""

from __future__ import annotations

from security_checks import bearer, merged_document
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from wellflow_servicekit.migrations import RLS_GAPS_SQL, TENANT_COLUMN, find_rls_gaps, runtime_role_problems


async def _tenant_tables_and_gaps(url: str) -> tuple[list[str], list[str]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(RLS_GAPS_SQL, {"column": TENANT_COLUMN})).mappings().all()
            return sorted(row["table_name"] for row in rows), await find_rls_gaps(connection)
    finally:
        await engine.dispose()


async def _role_problems(url: str) -> list[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await runtime_role_problems(connection)
    finally:
        await engine.dispose()


async def test_every_service_database_keeps_tenants_apart_in_its_catalog(gateway, service_databases):
    routed = set((await merged_document(gateway))["x-wellflow-merge"]["services"])
    assert routed <= set(service_databases), "a service the gateway routes to has no recorded database"
    tables, gaps, roles = {}, {}, {}
    for name, database in service_databases.items():
        tables[name], gaps[name] = await _tenant_tables_and_gaps(database.owner_url)
        roles[name] = await _role_problems(database.runtime_url)
    assert not any(gaps.values()), f"tenant tables without RLS, FORCE or a policy: {gaps}"
    assert not any(roles.values()), f"runtime roles that could read across tenants: {roles}"
    # The check must have looked at something: every service here keeps tenant data.
    assert all(tables.values()), f"services without any tenant table (is {TENANT_COLUMN} still the column?): {tables}"
    print(f"\ntenant tables checked: { {name: len(found) for name, found in tables.items()} }")


async def _visible_rows(url: str, tables: list[str], organization_id: str | None) -> dict[str, int]:
    """Rows of each table the runtime role sees, with no organization in the session or with one."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection, connection.begin():
            if organization_id is not None:
                await connection.execute(
                    text("select set_config('app.current_organization_id', :org, true)"), {"org": organization_id}
                )
            return {
                table: (await connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in tables
            }
    finally:
        await engine.dispose()


async def test_a_query_that_forgets_its_organization_sees_no_rows(gateway, service_databases, sign_up):
    """RLS at work, not only declared: with data of an operator in identity and wells, the runtime role sees
    no row of any tenant table without an organization in the session, and that operator's rows with it."""
    owner = await sign_up("Alpha Oil")
    lease = await gateway.post(
        "/api/v1/leases",
        headers=bearer(owner["access_token"]),
        json={"name": "Ranch A", "rrc_district": "08", "lease_type": "oil"},
    )
    assert lease.status_code == 201, lease.text
    seen_with_organization = 0
    for name, database in service_databases.items():
        tables, _ = await _tenant_tables_and_gaps(database.owner_url)
        anonymous = await _visible_rows(database.runtime_url, tables, None)
        assert not any(anonymous.values()), f"{name}: rows visible without an organization: {anonymous}"
        seen_with_organization += sum(
            (await _visible_rows(database.runtime_url, tables, owner["organization_id"])).values()
        )
    assert seen_with_organization >= 2, "the operator's own rows must be visible with its organization set"


async def test_the_catalog_check_reports_a_tenant_table_left_open(gateway, service_databases):
    """A table with the tenant column but no RLS, created and rolled back inside one transaction."""
    engine = create_async_engine(service_databases["wells"].owner_url)
    try:
        async with engine.connect() as connection:
            transaction = await connection.begin()
            await connection.exec_driver_sql(
                f"CREATE TABLE security_probe_open (id uuid PRIMARY KEY, {TENANT_COLUMN} uuid NOT NULL)"
            )
            await connection.exec_driver_sql(
                f"CREATE TABLE security_probe_unforced (id uuid PRIMARY KEY, {TENANT_COLUMN} uuid NOT NULL)"
            )
            await connection.exec_driver_sql("ALTER TABLE security_probe_unforced ENABLE ROW LEVEL SECURITY")
            gaps = await find_rls_gaps(connection)
            await transaction.rollback()
    finally:
        await engine.dispose()
    assert "security_probe_open: missing ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY, a policy" in gaps
    assert "security_probe_unforced: missing FORCE ROW LEVEL SECURITY, a policy" in gaps
