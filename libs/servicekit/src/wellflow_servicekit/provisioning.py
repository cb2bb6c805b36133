"""Create (idempotently) a service's database and its two roles, from an admin connection.

For service ``wells``: database ``wellflow_wells``; role ``wellflow_wells_owner`` owns the database and
its ``public`` schema and runs the migrations; role ``wellflow_wells_app`` is what the service runs as:
not superuser, not BYPASSRLS, NOINHERIT, owns nothing, and gets DML on the owner's tables and sequences
through default privileges. Nobody else may connect to the database (CONNECT is revoked from PUBLIC),
and nobody but the owner may create in ``public``.

Works on PostgreSQL 15 and newer. Role passwords are sent to the server as SCRAM-SHA-256 verifiers, so
no clear-text password reaches the server's statement log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

__all__ = [
    "ServiceDatabase",
    "drop_service_database",
    "provision_service_database",
    "service_database_names",
]

_SERVICE = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
_SUFFIX = re.compile(r"^[a-z0-9_]{0,17}$")  # the longest service + suffix + "_owner" fits 63
_MAX_IDENTIFIER = 63
# pg_advisory_lock(int, int) keys: serialises provisioning on one server (several test sessions, up)
_LOCK_KEYS = (0x57464C, 1)


@dataclass(frozen=True)
class ServiceDatabase:
    """Where a service's database lives and how each of its roles connects (``postgresql+asyncpg://``)."""

    name: str
    owner_url: str = field(repr=False)
    runtime_url: str = field(repr=False)
    owner_role: str = ""
    runtime_role: str = ""


@dataclass(frozen=True)
class _Names:
    database: str
    owner: str
    runtime: str


def service_database_names(service: str, database_suffix: str = "") -> tuple[str, str, str]:
    """``(database, owner role, runtime role)`` for a service, validated."""
    names = _names(service, database_suffix)
    return names.database, names.owner, names.runtime


def _names(service: str, suffix: str) -> _Names:
    if not _SERVICE.match(service):
        raise ValueError(f"service name must match {_SERVICE.pattern}: {service!r}")
    if not _SUFFIX.match(suffix):
        raise ValueError(f"database suffix must match {_SUFFIX.pattern}: {suffix!r}")
    base = f"wellflow_{service}{suffix}"
    names = _Names(database=base, owner=f"{base}_owner", runtime=f"{base}_app")
    if len(names.owner) > _MAX_IDENTIFIER:
        raise ValueError(f"{names.owner!r} is longer than PostgreSQL's {_MAX_IDENTIFIER} characters")
    return names


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    if "\\" in value or "\x00" in value:
        raise ValueError("backslashes and NUL are not allowed here")
    return "'" + value.replace("'", "''") + "'"


def _scram_verifier(password: str, iterations: int = 4096) -> str:
    """What PostgreSQL stores for a SCRAM-SHA-256 password (RFC 5802/7677); it accepts it pre-hashed."""
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    b64 = base64.b64encode
    return f"SCRAM-SHA-256${iterations}:{b64(salt).decode()}${b64(stored_key).decode()}:{b64(server_key).decode()}"


def _password_clause(password: str) -> str:
    if not password:
        raise ValueError("role passwords must not be empty")
    # The server SASLprep-normalises non-ASCII passwords before hashing; let it hash those itself.
    verifier = _scram_verifier(password) if password.isascii() else password
    return f"PASSWORD {_literal(verifier)}"


def _parse_admin_url(admin_url: str) -> SplitResult:
    parts = urlsplit(admin_url)
    if parts.scheme.split("+", 1)[0] not in ("postgresql", "postgres"):
        raise ValueError(f"not a PostgreSQL URL: {parts.scheme}://...")
    return parts


def _asyncpg_dsn(parts: SplitResult, database: str) -> str:
    return urlunsplit(("postgresql", parts.netloc, "/" + quote(database), parts.query, ""))


def _role_url(parts: SplitResult, role: str, password: str, database: str) -> str:
    host_port = parts.netloc.rpartition("@")[2]
    netloc = f"{quote(role, safe='')}:{quote(password, safe='')}@{host_port}"
    return urlunsplit(("postgresql+asyncpg", netloc, "/" + quote(database), parts.query, ""))


async def _role_exists(conn, role: str) -> bool:  # type: ignore[no-untyped-def]
    return bool(await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role))


async def _ensure_role(conn, role: str, attributes: str, password: str) -> None:  # type: ignore[no-untyped-def]
    import asyncpg

    options = f"{attributes} {_password_clause(password)}"
    if not await _role_exists(conn, role):
        try:
            await conn.execute(f"CREATE ROLE {_ident(role)} WITH {options}")
            return
        except asyncpg.DuplicateObjectError:
            pass  # created meanwhile by a provisioner that does not take our lock
    await conn.execute(f"ALTER ROLE {_ident(role)} WITH {options}")


async def provision_service_database(
    admin_url: str,
    service: str,
    *,
    owner_password: str,
    runtime_password: str,
    database_suffix: str = "",
    template_suffix: str | None = None,
) -> ServiceDatabase:
    """Create or repair database ``wellflow_<service><suffix>`` and its owner and runtime roles.

    Safe to run again at every start: it recreates nothing, resets role attributes and passwords to the
    given ones, and re-grants the runtime role's rights (also on tables that already exist).
    ``admin_url`` names a superuser (or a CREATEDB + CREATEROLE role) connection.

    ``template_suffix`` (tests) copies a new database from ``wellflow_<service><template_suffix>``, an already
    migrated one nobody is connected to, instead of starting empty: its objects are handed to the new owner and
    the template's roles keep no rights in the copy. Copying takes a fraction of a second; migrating takes
    several. It needs a superuser ``admin_url`` (reassigning another role's objects).
    """
    import asyncpg

    names = _names(service, database_suffix)
    parts = _parse_admin_url(admin_url)
    admin_db = parts.path.lstrip("/") or "postgres"
    owner, runtime, database = _ident(names.owner), _ident(names.runtime), _ident(names.database)

    conn = await asyncpg.connect(_asyncpg_dsn(parts, admin_db))
    try:
        await conn.execute("SELECT pg_advisory_lock($1, $2)", *_LOCK_KEYS)
        common = "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION"
        await _ensure_role(conn, names.owner, f"{common} INHERIT", owner_password)
        await _ensure_role(conn, names.runtime, f"{common} NOINHERIT", runtime_password)
        if not await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
            # a non-superuser admin must be able to SET ROLE to the owner to hand it the database
            await conn.execute(f"GRANT {owner} TO CURRENT_USER")
        template = _names(service, template_suffix) if template_suffix is not None else None
        if await _create_database(conn, names, template):
            assert template is not None
            await _take_over_copy(_asyncpg_dsn(parts, names.database), template, owner)
            # REASSIGN OWNED also hands over what the role owns cluster-wide: the template database itself
            await conn.execute(f"ALTER DATABASE {_ident(template.database)} OWNER TO {_ident(template.owner)}")
            await _copy_database_rights(conn, template, names)
        await conn.execute(f"REVOKE ALL ON DATABASE {database} FROM PUBLIC")
        await conn.execute(f"GRANT CONNECT ON DATABASE {database} TO {runtime}")
        await _grant_runtime_rights(_asyncpg_dsn(parts, names.database), owner, runtime)
    finally:
        await conn.close()  # also releases the advisory lock

    return ServiceDatabase(
        name=names.database,
        owner_url=_role_url(parts, names.owner, owner_password, names.database),
        runtime_url=_role_url(parts, names.runtime, runtime_password, names.database),
        owner_role=names.owner,
        runtime_role=names.runtime,
    )


async def _create_database(conn, names: _Names, template: _Names | None) -> bool:  # type: ignore[no-untyped-def]
    """Create the database (empty, or a copy of ``template``) owned by its owner; True when a copy was made."""
    import asyncpg

    database, owner = _ident(names.database), _ident(names.owner)
    if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", names.database):
        source = _ident(template.database) if template is not None else "template0"
        try:
            await conn.execute(f"CREATE DATABASE {database} OWNER {owner} TEMPLATE {source} ENCODING 'UTF8'")
            return template is not None
        except asyncpg.DuplicateDatabaseError:
            pass  # created meanwhile by a provisioner that does not take our lock
    await conn.execute(f"ALTER DATABASE {database} OWNER TO {owner}")
    return False


async def _copy_database_rights(conn, template: _Names, names: _Names) -> None:  # type: ignore[no-untyped-def]
    """Rights on the database itself live outside it (a migration may grant its runtime role TEMPORARY, say): what
    the template's runtime role was granted, the copy's gets."""
    granted = await conn.fetch(
        "SELECT a.privilege_type FROM pg_database d, aclexplode(d.datacl) a"
        " WHERE d.datname = $1 AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $2)",
        template.database,
        template.runtime,
    )
    for row in granted:
        if row["privilege_type"] in ("CONNECT", "TEMPORARY", "CREATE"):
            await conn.execute(
                f"GRANT {row['privilege_type']} ON DATABASE {_ident(names.database)} TO {_ident(names.runtime)}"
            )


async def admin_is_superuser(admin_url: str) -> bool:
    """Whether ``admin_url``'s role is a superuser (which ``template_suffix`` needs)."""
    import asyncpg

    parts = _parse_admin_url(admin_url)
    conn = await asyncpg.connect(_asyncpg_dsn(parts, parts.path.lstrip("/") or "postgres"))
    try:
        return bool(await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    finally:
        await conn.close()


async def _take_over_copy(dsn: str, template: _Names, owner: str) -> None:
    """A database copied from a template: its objects pass to the copy's owner, the template's roles keep nothing."""
    import asyncpg

    db_conn = await asyncpg.connect(dsn)
    try:
        old_owner, old_runtime = _ident(template.owner), _ident(template.runtime)
        # what remains of the template's roles here: their default privileges and the rights granted to them
        for statement in (
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {old_owner} IN SCHEMA public REVOKE ALL ON TABLES FROM {old_runtime}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {old_owner} IN SCHEMA public"
            f" REVOKE ALL ON SEQUENCES FROM {old_runtime}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {old_runtime}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {old_runtime}",
            f"REVOKE ALL ON SCHEMA public FROM {old_runtime}",
            f"REASSIGN OWNED BY {old_owner} TO {owner}",
        ):
            await db_conn.execute(statement)
    finally:
        await db_conn.close()


async def _grant_runtime_rights(dsn: str, owner: str, runtime: str) -> None:
    """The schema belongs to the owner; the runtime role reads and writes rows, now and in future tables."""
    import asyncpg

    db_conn = await asyncpg.connect(dsn)
    try:
        for statement in (
            f"ALTER SCHEMA public OWNER TO {owner}",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            f"GRANT USAGE ON SCHEMA public TO {runtime}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {runtime}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {runtime}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {runtime}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {runtime}",
        ):
            await db_conn.execute(statement)
    finally:
        await db_conn.close()


async def drop_service_database(admin_url: str, service: str, *, database_suffix: str = "") -> None:
    """Drop the database and both roles; connections to it are terminated first. No error if absent."""
    import asyncpg

    names = _names(service, database_suffix)
    parts = _parse_admin_url(admin_url)
    admin_db = parts.path.lstrip("/") or "postgres"
    conn = await asyncpg.connect(_asyncpg_dsn(parts, admin_db))
    try:
        await conn.execute("SELECT pg_advisory_lock($1, $2)", *_LOCK_KEYS)
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", names.database):
            await conn.execute(f"ALTER DATABASE {_ident(names.database)} WITH ALLOW_CONNECTIONS false")
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                names.database,
            )
            await conn.execute(f"DROP DATABASE IF EXISTS {_ident(names.database)} WITH (FORCE)")
        for role in (names.runtime, names.owner):
            if await _role_exists(conn, role):
                await conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", role)
                await conn.execute(f"DROP ROLE IF EXISTS {_ident(role)}")
    finally:
        await conn.close()
