"""Row-level security through the unit of work, on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from wellflow_servicekit.migrations import find_rls_gaps, runtime_role_problems


async def test_400_concurrent_transactions_over_4_tenants_see_only_their_rows(database):
    tenants = [uuid4() for _ in range(4)]
    for tenant in tenants:
        async with database.unit_of_work(tenant) as uow:
            await uow.connection.execute(
                text("INSERT INTO well_notes (organization_id, well, note) VALUES (:org, 'W-1', :note)"),
                [{"org": tenant, "note": f"{tenant}-{i}"} for i in range(25)],
            )

    leaks: list[str] = []

    async def one(i: int) -> None:
        tenant = tenants[i % 4]
        async with database.unit_of_work(tenant) as uow:
            if random.random() < 0.5:
                await asyncio.sleep(0)  # interleave with other transactions on the pool
            # No WHERE clause at all: row-level security alone must confine the query.
            rows = (await uow.connection.execute(text("SELECT organization_id, note FROM well_notes"))).all()
            if len(rows) != 25:
                leaks.append(f"tx {i} saw {len(rows)} rows")
            leaks.extend(f"tx {i} saw {row.note}" for row in rows if row.organization_id != tenant)

    await asyncio.gather(*(one(i) for i in range(400)))
    assert leaks == []


async def test_a_transaction_without_tenant_sees_no_tenant_rows_and_cannot_write_them(database):
    tenant = uuid4()
    async with database.unit_of_work(tenant) as uow:
        await uow.connection.execute(
            text("INSERT INTO well_notes (organization_id, well, note) VALUES (:org, 'W-1', 'x')"),
            {"org": tenant},
        )
    async with database.unit_of_work(None) as uow:
        assert (await uow.connection.execute(text("SELECT count(*) FROM well_notes"))).scalar_one() == 0
    with pytest.raises(DBAPIError, match="row-level security"):
        async with database.unit_of_work(None) as uow:
            await uow.connection.execute(
                text("INSERT INTO well_notes (organization_id, well, note) VALUES (:org, 'W-1', 'y')"),
                {"org": tenant},
            )


async def test_a_tenant_cannot_write_a_row_for_another_tenant(database):
    mine, theirs = uuid4(), uuid4()
    with pytest.raises(DBAPIError, match="row-level security"):
        async with database.unit_of_work(mine) as uow:
            await uow.connection.execute(
                text("INSERT INTO well_notes (organization_id, well, note) VALUES (:org, 'W-1', 'z')"),
                {"org": theirs},
            )


async def test_the_tenant_setting_does_not_outlive_its_transaction_on_a_pooled_connection(database):
    tenant = uuid4()
    async with database.unit_of_work(tenant) as uow:
        await uow.connection.execute(
            text("INSERT INTO well_notes (organization_id, well, note) VALUES (:org, 'W-1', 'n')"),
            {"org": tenant},
        )
    # The pool has a single warm connection now; the next raw use of it must carry no tenant.
    async with database.engine.connect() as conn:
        setting = (await conn.execute(text("SELECT current_setting('app.current_organization_id', true)"))).scalar()
        assert setting in (None, "")
        assert (await conn.execute(text("SELECT count(*) FROM well_notes"))).scalar_one() == 0


async def test_every_tenant_table_has_rls_forced_and_a_policy(database):
    async with database.engine.connect() as conn:
        assert await find_rls_gaps(conn) == []


async def test_the_gap_finder_notices_a_tenant_table_without_rls(owner_database):
    async with owner_database.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE leaky (id int, organization_id uuid)"))
        gaps = await find_rls_gaps(conn)
    assert gaps == ["leaky: missing ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY, a policy"]


async def test_the_runtime_role_is_not_superuser_not_bypassrls_and_owns_nothing(database, owner_database):
    async with database.engine.connect() as conn:
        assert await runtime_role_problems(conn) == []
    async with owner_database.engine.connect() as conn:
        assert any("owns" in problem for problem in await runtime_role_problems(conn))
