import json
import stat
from pathlib import Path

import pytest

from wellflow_devstack.control import status
from wellflow_devstack.discovery import ServiceSpec
from wellflow_devstack.stack import (
    KEEP_ALIVE_SECONDS,
    ServiceProcess,
    StackConfig,
    StackError,
    read_state,
    service_secrets,
    write_state,
)


def test_defaults_stay_off_the_machines_own_ports(tmp_path: Path) -> None:
    config = StackConfig.from_env({}, root=tmp_path)

    assert (config.pg_port, config.nats_port) == (55432, 54222)
    assert config.home == tmp_path / ".wellflow"
    assert config.external_database_url is None
    assert config.external_nats_url is None


def test_the_environment_overrides_home_ports_and_servers(tmp_path: Path) -> None:
    env = {
        "WELLFLOW_HOME": str(tmp_path / "elsewhere"),
        "WELLFLOW_PG_PORT": "6000",
        "WELLFLOW_NATS_PORT": "6001",
        "WELLFLOW_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
        "WELLFLOW_NATS_URL": "nats://127.0.0.1:4222",
    }

    config = StackConfig.from_env(env, root=tmp_path)

    assert config.home == tmp_path / "elsewhere"
    assert (config.pg_port, config.nats_port) == (6000, 6001)
    assert config.external_database_url == env["WELLFLOW_DATABASE_URL"]
    assert config.external_nats_url == env["WELLFLOW_NATS_URL"]


@pytest.mark.parametrize("value", ["abc", "0", "70000"])
def test_a_bad_port_is_explained(tmp_path: Path, value: str) -> None:
    with pytest.raises(StackError, match="WELLFLOW_PG_PORT"):
        StackConfig.from_env({"WELLFLOW_PG_PORT": value}, root=tmp_path)


def test_role_passwords_are_generated_once_and_kept_private(tmp_path: Path) -> None:
    config = StackConfig.from_env({}, root=tmp_path)
    config.home.mkdir()

    first = service_secrets(config, ["wells"])
    again = service_secrets(config, ["wells", "production"])

    assert again["wells"] == first["wells"]
    assert first["wells"]["owner_password"] != first["wells"]["runtime_password"]
    assert set(again) == {"wells", "production"}
    assert stat.S_IMODE(config.secrets_file.stat().st_mode) == 0o600
    assert json.loads(config.secrets_file.read_text())["services"]["production"] == again["production"]


def test_generated_secrets_are_made_once_and_kept(tmp_path: Path) -> None:
    config = StackConfig.from_env({}, root=tmp_path)
    config.home.mkdir()
    first = service_secrets(config, ["identity"], {"identity": ("KEY_ENCRYPTION_KEY",)})
    again = service_secrets(config, ["identity"], {"identity": ("KEY_ENCRYPTION_KEY",)})

    key = first["identity"]["env"]["KEY_ENCRYPTION_KEY"]
    assert len(key) >= 40
    assert again["identity"]["env"]["KEY_ENCRYPTION_KEY"] == key


def test_state_round_trips_and_a_broken_file_reads_as_empty(tmp_path: Path) -> None:
    config = StackConfig.from_env({}, root=tmp_path)
    config.home.mkdir()

    write_state(config, {"services": {"wells": {"pid": 1, "port": 8102}}})
    assert read_state(config)["services"]["wells"]["port"] == 8102

    config.state_file.write_text("{not json")
    assert read_state(config) == {}


def test_status_of_a_stack_that_never_ran_says_stopped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = StackConfig.from_env({"WELLFLOW_PG_PORT": "1", "WELLFLOW_NATS_PORT": "2"}, root=tmp_path)

    code = status(config)

    out = capsys.readouterr().out
    assert code == 1
    assert "not running" in out
    assert out.count("stopped") == 2


def test_a_service_keeps_idle_connections_longer_than_its_clients_pools(tmp_path: Path) -> None:
    """The gateway closes an idle connection after 4 s and a load balancer after 60: the service must not close
    first, or a request sent on the closing connection is lost (docs/deploy.md, "Keep-alive")."""
    spec = ServiceSpec(name="wells", app="wellflow_wells.bootstrap:create_app", port=8102, directory=tmp_path)
    command = ServiceProcess(spec, {}, tmp_path / "wells.log").command()

    assert float(command[command.index("--timeout-keep-alive") + 1]) == KEEP_ALIVE_SECONDS > 60
