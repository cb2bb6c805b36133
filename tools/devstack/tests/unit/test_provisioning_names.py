import base64

import pytest

from wellflow_servicekit.provisioning import (
    _parse_admin_url,
    _role_url,
    _scram_verifier,
    service_database_names,
)


def test_names_follow_the_convention() -> None:
    assert service_database_names("wells") == ("wellflow_wells", "wellflow_wells_owner", "wellflow_wells_app")


def test_a_suffix_goes_on_the_database_and_both_roles() -> None:
    assert service_database_names("wells", "_t1a2b") == (
        "wellflow_wells_t1a2b",
        "wellflow_wells_t1a2b_owner",
        "wellflow_wells_t1a2b_app",
    )


@pytest.mark.parametrize(
    "service", ["", "Wells", "1wells", "wells-db", 'wells"; drop database x; --', "a" * 32, "wells x"]
)
def test_service_names_that_are_not_plain_identifiers_are_refused(service: str) -> None:
    with pytest.raises(ValueError, match="service name"):
        service_database_names(service)


@pytest.mark.parametrize("suffix", ["-x", "X", "_" * 18, "'"])
def test_bad_suffixes_are_refused(suffix: str) -> None:
    with pytest.raises(ValueError, match="suffix"):
        service_database_names("wells", suffix)


def test_the_longest_names_fit_postgres_identifiers() -> None:
    names = service_database_names("a" * 31, "_" + "b" * 16)
    assert max(len(name) for name in names) == 63


def test_role_urls_keep_host_and_port_and_quote_the_password() -> None:
    parts = _parse_admin_url("postgresql://postgres:secret@db.example:6543/postgres")

    url = _role_url(parts, "wellflow_wells_app", "p@ss:w/rd'", "wellflow_wells")

    assert url == "postgresql+asyncpg://wellflow_wells_app:p%40ss%3Aw%2Frd%27@db.example:6543/wellflow_wells"


def test_a_socket_host_in_the_query_is_kept() -> None:
    parts = _parse_admin_url("postgresql+asyncpg://postgres@/postgres?host=/tmp/pg/run")

    url = _role_url(parts, "r", "p", "d")

    assert url == "postgresql+asyncpg://r:p@/d?host=/tmp/pg/run"


def test_non_postgres_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        _parse_admin_url("mysql://root@localhost/db")


def test_the_scram_verifier_has_postgres_format() -> None:
    verifier = _scram_verifier("pencil")

    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key, server_key = keys.split(":")
    assert method == "SCRAM-SHA-256"
    assert iterations == "4096"
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(stored_key)) == len(base64.b64decode(server_key)) == 32
    assert _scram_verifier("pencil") != verifier  # a fresh salt each time
