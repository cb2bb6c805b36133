"""Provisioning against the session's server (embedded PostgreSQL 18, or the one the environment names:
run with WELLFLOW_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres for PostgreSQL 15)."""

import secrets
from pathlib import Path

import asyncpg
import pytest

from wellflow_devstack.servers import EmbeddedPostgres, free_port
from wellflow_servicekit.provisioning import drop_service_database, provision_service_database

pytestmark = pytest.mark.integration


def plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def test_neither_role_is_superuser_or_bypasses_rls(infra, service_database) -> None:
    db = await service_database("wells")

    admin = await asyncpg.connect(infra.admin_url)
    try:
        roles = {
            row["rolname"]: row
            for row in await admin.fetch(
                "SELECT rolname, rolsuper, rolbypassrls, rolcreatedb, rolcreaterole, rolinherit, rolcanlogin "
                "FROM pg_roles WHERE rolname = ANY($1::text[])",
                [db.owner_role, db.runtime_role],
            )
        }
        owner_of_database = await admin.fetchval(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", db.name
        )
    finally:
        await admin.close()

    assert set(roles) == {db.owner_role, db.runtime_role}
    for row in roles.values():
        assert row["rolcanlogin"]
        assert not row["rolsuper"]
        assert not row["rolbypassrls"]
        assert not row["rolcreatedb"]
        assert not row["rolcreaterole"]
    assert not roles[db.runtime_role]["rolinherit"]
    assert owner_of_database == db.owner_role
    assert db.runtime_url.startswith("postgresql+asyncpg://")
    assert db.owner_url.startswith("postgresql+asyncpg://")


async def test_the_runtime_role_uses_the_owners_tables_but_creates_none(service_database) -> None:
    db = await service_database("production")
    owner = await asyncpg.connect(plain(db.owner_url))
    runtime = await asyncpg.connect(plain(db.runtime_url))
    try:
        await owner.execute("CREATE TABLE daily_reading (id bigserial PRIMARY KEY, oil_bbl numeric(12, 2))")
        assert await owner.fetchval("SELECT current_user") == db.owner_role
        assert await runtime.fetchval("SELECT current_user") == db.runtime_role

        await runtime.execute("INSERT INTO daily_reading (oil_bbl) VALUES (41.25)")
        await runtime.execute("UPDATE daily_reading SET oil_bbl = 41.5")
        assert str(await runtime.fetchval("SELECT sum(oil_bbl) FROM daily_reading")) == "41.50"
        await runtime.execute("DELETE FROM daily_reading")

        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await runtime.execute("CREATE TABLE sneaky (id int)")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await runtime.execute("CREATE TEMP TABLE sneaky (id int)")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await runtime.execute("TRUNCATE daily_reading")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await runtime.execute("ALTER TABLE daily_reading ADD COLUMN gas_mcf numeric")

        owned = await runtime.fetchval(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1",
            db.runtime_role,
        )
        assert owned == 0
    finally:
        await owner.close()
        await runtime.close()


async def test_other_services_roles_cannot_connect(service_database) -> None:
    wells = await service_database("wells")
    production = await service_database("production")
    foreign = plain(production.runtime_url).rsplit("/", 1)[0] + "/" + wells.name

    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await asyncpg.connect(foreign)


async def test_provisioning_again_changes_nothing_and_keeps_data(infra) -> None:
    suffix = f"_t{secrets.token_hex(4)}"
    passwords = {"owner_password": "owner-pw", "runtime_password": "runtime-pw"}
    try:
        first = await provision_service_database(infra.admin_url, "compliance", database_suffix=suffix, **passwords)
        owner = await asyncpg.connect(plain(first.owner_url))
        await owner.execute("CREATE TABLE form_pr (id int PRIMARY KEY)")
        await owner.execute("INSERT INTO form_pr VALUES (7)")
        await owner.close()

        again = await provision_service_database(infra.admin_url, "compliance", database_suffix=suffix, **passwords)

        assert again == first
        runtime = await asyncpg.connect(plain(again.runtime_url))
        assert await runtime.fetchval("SELECT id FROM form_pr") == 7
        await runtime.close()
    finally:
        await drop_service_database(infra.admin_url, "compliance", database_suffix=suffix)


async def test_dropping_removes_database_and_roles_even_while_connected(infra) -> None:
    suffix = f"_t{secrets.token_hex(4)}"
    db = await provision_service_database(
        infra.admin_url, "accounting", owner_password="o", runtime_password="r", database_suffix=suffix
    )
    runtime = await asyncpg.connect(plain(db.runtime_url))

    await drop_service_database(infra.admin_url, "accounting", database_suffix=suffix)
    await drop_service_database(infra.admin_url, "accounting", database_suffix=suffix)  # twice is fine

    admin = await asyncpg.connect(infra.admin_url)
    try:
        assert await admin.fetchval("SELECT count(*) FROM pg_database WHERE datname = $1", db.name) == 0
        assert (
            await admin.fetchval(
                "SELECT count(*) FROM pg_roles WHERE rolname = ANY($1::text[])",
                [db.owner_role, db.runtime_role],
            )
            == 0
        )
    finally:
        await admin.close()
        runtime.terminate()


async def test_passwords_really_authenticate_with_scram() -> None:
    """Our own server, with password authentication on TCP (the dev servers trust everyone)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="wf-scram-"))
    server = EmbeddedPostgres(folder / "pg", free_port(), durable=False)
    server.start()
    try:
        hba = server.pgdata / "pg_hba.conf"
        hba.write_text(
            "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
        )
        admin = await asyncpg.connect(server.admin_url)
        await admin.execute("SELECT pg_reload_conf()")
        await admin.close()

        db = await provision_service_database(
            server.admin_url, "identity", owner_password="correct horse", runtime_password="battery staple"
        )

        for url in (db.owner_url, db.runtime_url):
            conn = await asyncpg.connect(plain(url))
            await conn.close()
        wrong = plain(db.runtime_url).replace("battery%20staple", "wrong")
        with pytest.raises(asyncpg.InvalidPasswordError):
            await asyncpg.connect(wrong)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


async def test_a_copy_of_a_migrated_template_belongs_to_its_own_roles_alone(infra) -> None:
    template, copy = f"_p{secrets.token_hex(3)}", f"_t{secrets.token_hex(3)}"
    source = await provision_service_database(
        infra.admin_url, "wells", owner_password="o" * 20, runtime_password="r" * 20, database_suffix=template
    )
    try:
        owner = await asyncpg.connect(plain(source.owner_url))
        try:
            await owner.execute("CREATE TABLE lease (id bigserial PRIMARY KEY, name text NOT NULL)")
            await owner.execute("INSERT INTO lease (name) VALUES ('Mesa 1')")
            # a right on the database itself, as production's migration gives its runtime role for imports
            await owner.execute(f'GRANT TEMPORARY ON DATABASE "{source.name}" TO "{source.runtime_role}"')
        finally:
            await owner.close()
        db = await provision_service_database(
            infra.admin_url,
            "wells",
            owner_password="p" * 20,
            runtime_password="s" * 20,
            database_suffix=copy,
            template_suffix=template,
        )
        try:
            runtime = await asyncpg.connect(plain(db.runtime_url))
            try:
                assert await runtime.fetchval("SELECT name FROM lease") == "Mesa 1"
                await runtime.execute("INSERT INTO lease (name) VALUES ('Mesa 2')")
            finally:
                await runtime.close()
            admin = await asyncpg.connect(infra.admin_url.rsplit("/", 1)[0] + "/" + db.name)
            try:
                assert (
                    await admin.fetchval("SELECT tableowner FROM pg_tables WHERE tablename = 'lease'") == db.owner_role
                )
                assert not await admin.fetchval(
                    "SELECT has_table_privilege($1, 'lease', 'SELECT')", source.runtime_role
                )
                assert await admin.fetchval(
                    "SELECT has_database_privilege($1, $2, 'TEMPORARY')", db.runtime_role, db.name
                )
            finally:
                await admin.close()
        finally:
            await drop_service_database(infra.admin_url, "wells", database_suffix=copy)
        admin = await asyncpg.connect(infra.admin_url)
        try:
            # the template is still its own owner's, untouched by the copy
            assert (
                await admin.fetchval("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", source.name)
                == source.owner_role
            )
        finally:
            await admin.close()
    finally:
        await drop_service_database(infra.admin_url, "wells", database_suffix=template)
