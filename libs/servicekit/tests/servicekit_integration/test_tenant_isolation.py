"""Row-level security through the unit of work, on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from wellflow_servicekit.database import TENANT_SETTING, begin_sql
from wellflow_servicekit.migrations import find_rls_gaps, runtime_role_problems
from wellflow_servicekit.repository import Repository


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


async def test_the_tenant_is_set_with_begin_in_one_round_trip_and_ends_with_the_transaction(database):
    tenant = uuid4()
    async with database.unit_of_work(tenant) as uow:
        driver = (await uow.connection.get_raw_connection()).driver_connection
        assert driver.is_in_transaction()  # begun with the tenant, before any statement of the work
        setting = (await uow.connection.execute(text("SELECT current_setting('app.current_organization_id')"))).scalar()
        assert setting == str(tenant)
        await uow.connection.execute(
            text("INSERT INTO well_notes (organization_id, well, note) VALUES (:org, 'W-1', 'kept')"), {"org": tenant}
        )
    assert not driver.is_in_transaction()  # committed
    async with database.unit_of_work(tenant) as uow:
        assert (await uow.connection.execute(text("SELECT note FROM well_notes"))).scalars().all() == ["kept"]


async def test_a_failed_unit_of_work_begun_with_its_tenant_rolls_back_and_leaves_a_clean_connection(database):
    tenant = uuid4()
    with pytest.raises(RuntimeError):
        async with database.unit_of_work(tenant) as uow:
            driver = (await uow.connection.get_raw_connection()).driver_connection
            await uow.connection.execute(
                text("INSERT INTO well_notes (organization_id, well, note) VALUES (:org, 'W-1', 'gone')"),
                {"org": tenant},
            )
            raise RuntimeError("the use case failed")
    assert not driver.is_in_transaction()
    with pytest.raises(DBAPIError):  # a statement that fails inside the transaction
        async with database.unit_of_work(tenant) as uow:
            await uow.connection.execute(text("SELECT 1 / 0"))
    async with database.engine.connect() as conn:  # the pool's single warm connection: no tenant, no rows left
        assert (await conn.execute(text("SELECT current_setting('app.current_organization_id', true)"))).scalar() in (
            None,
            "",
        )
    async with database.unit_of_work(tenant) as uow:
        assert (await uow.connection.execute(text("SELECT count(*) FROM well_notes"))).scalar_one() == 0


def test_the_tenant_in_the_begin_statement_must_be_a_uuid():
    tenant = uuid4()
    assert begin_sql({TENANT_SETTING: tenant}) == (
        f"BEGIN; SELECT set_config('app.current_organization_id', '{tenant}', true)"
    )
    with pytest.raises(ValueError):
        begin_sql({TENANT_SETTING: "x', true); DROP TABLE well_notes; --"})  # type: ignore[dict-item]


async def test_more_settings_begin_with_the_transaction_and_end_with_it(database):
    tenant, person = uuid4(), uuid4()
    async with database.unit_of_work(tenant, settings={"app.current_user_id": person}) as uow:
        row = (
            await uow.connection.execute(
                text("SELECT current_setting('app.current_organization_id'), current_setting('app.current_user_id')")
            )
        ).one()
        assert tuple(row) == (str(tenant), str(person))
        assert uow.settings == {"app.current_user_id": str(person)}
    async with database.unit_of_work(None, settings={"app.current_user_id": person}) as uow:
        assert (await uow.connection.execute(text("SELECT current_setting('app.current_user_id')"))).scalar() == str(
            person
        )
        assert (await uow.connection.execute(text("SELECT count(*) FROM well_notes"))).scalar_one() == 0
    async with database.engine.connect() as conn:
        assert (await conn.execute(text("SELECT current_setting('app.current_user_id', true)"))).scalar() in (None, "")


def test_a_setting_name_outside_app_is_refused():
    with pytest.raises(ValueError, match="not a setting name"):
        begin_sql({"search_path": uuid4()})
    with pytest.raises(ValueError, match="not a setting name"):
        begin_sql({"app.x', 'y', true); --": uuid4()})


async def test_a_prepared_read_on_the_driver_runs_in_the_tenants_transaction_under_rls(database):
    mine, theirs = uuid4(), uuid4()
    for tenant in (mine, theirs):
        async with database.unit_of_work(tenant) as uow:
            await uow.connection.execute(
                text("INSERT INTO well_notes (organization_id, well, note) VALUES (:org, 'W-1', :note)"),
                {"org": tenant, "note": str(tenant)},
            )
    async with database.unit_of_work(mine) as uow:
        driver = Repository(uow).driver_if_begun()
        assert driver is not None
        assert [row["note"] for row in await driver.fetch("SELECT note FROM well_notes")] == [str(mine)]
    async with database.unit_of_work(None) as uow:
        assert Repository(uow).driver_if_begun() is None  # not begun yet: the caller uses SQLAlchemy
