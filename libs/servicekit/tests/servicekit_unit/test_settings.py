"""Service settings: read from the environment, every problem named by its variable."""

from __future__ import annotations

import pytest
from pydantic import Field

from wellflow_servicekit.settings import (
    ConfigurationError,
    ServiceSettings,
    load_settings,
    load_settings_or_exit,
)

REQUIRED_ENV = {
    "SERVICE_NAME": "wells",
    "DATABASE_URL": "postgresql+asyncpg://wellflow_wells_app:s3cret@db:5432/wellflow_wells",
    "NATS_URL": "nats://nats:4222",
    "JWKS_URL": "http://identity:8101/.well-known/jwks.json",
    "JWT_ISSUER": "https://identity.wellflow.test",
    "JWT_AUDIENCE": "wellflow",
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name, value in REQUIRED_ENV.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def problems_of(error: pytest.ExceptionInfo[ConfigurationError]) -> list[str]:
    return error.value.problems


def test_a_complete_environment_gives_the_documented_defaults(env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.service_name == "wells"
    assert settings.database_owner_url is None
    assert settings.event_subject_root == "wellflow"
    assert settings.stream_name == "WELLFLOW_EVENTS"
    assert settings.jwt_algorithms == ["EdDSA", "RS256"]
    assert (settings.http_host, settings.http_port) == ("127.0.0.1", 8100)
    assert (settings.log_level, settings.log_format) == ("INFO", "json")
    assert settings.outbox_batch_size == 200
    assert settings.consumer_backoff == [1, 5, 15, 30]
    assert settings.consumer_max_deliver == 5
    assert settings.db_pool_size == 20
    assert settings.otel_exporter_otlp_endpoint is None


def test_the_stream_name_follows_the_subject_root(env: pytest.MonkeyPatch) -> None:
    assert load_settings().stream_name == "WELLFLOW_EVENTS"
    env.setenv("EVENT_SUBJECT_ROOT", "t_9f2c")
    assert load_settings().stream_name == "T_9F2C_EVENTS"


def test_a_missing_variable_is_named_with_what_it_is_for(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED_ENV.items():
        if name != "DATABASE_URL":
            monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    assert problems_of(error) == ["DATABASE_URL: missing (the runtime role's PostgreSQL URL, postgresql+asyncpg://...)"]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    reported = {line.split(":")[0] for line in problems_of(error)}
    assert reported == {"SERVICE_NAME", "DATABASE_URL", "NATS_URL", "JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE"}
    assert "JWKS_URL: missing" in str(error.value)


def test_an_empty_variable_counts_as_missing(env: pytest.MonkeyPatch) -> None:
    env.setenv("JWT_AUDIENCE", "")
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    assert problems_of(error)[0].startswith("JWT_AUDIENCE: missing")


def test_an_invalid_database_url_says_why_without_echoing_the_password(env: pytest.MonkeyPatch) -> None:
    env.setenv("DATABASE_URL", "postgres://app:hunter2@db/wellflow_wells")
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    (line,) = problems_of(error)
    assert line.startswith("DATABASE_URL: must start with postgresql+asyncpg://")
    assert "hunter2" not in str(error.value)


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("SERVICE_NAME", "Wells-Service", "lowercase letters, digits and underscores"),
        ("NATS_URL", "http://nats:4222", "nats:// or tls://"),
        ("EVENT_SUBJECT_ROOT", "wellflow.evt", "single NATS subject token"),
        ("OUTBOX_BATCH_SIZE", "5000", "less than or equal to 1000"),
        ("OUTBOX_BATCH_SIZE", "lots", "valid integer"),
        ("LOG_FORMAT", "xml", "'json' or 'text'"),
        ("LOG_LEVEL", "chatty", "DEBUG"),
        ("HTTP_PORT", "70000", "less than or equal to 65535"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318", "http:// or https://"),
        ("CONSUMER_BACKOFF", "1,-5", "positive"),
    ],
)
def test_an_invalid_value_names_the_variable_and_the_reason(
    env: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    env.setenv(variable, value)
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    (line,) = problems_of(error)
    assert line.startswith(f"{variable}: ")
    assert reason in line


@pytest.mark.parametrize("algorithms", ["none", "HS256", "EdDSA,HS512", '["RS256", "none"]'])
def test_symmetric_and_unsigned_jwt_algorithms_are_refused(env: pytest.MonkeyPatch, algorithms: str) -> None:
    env.setenv("JWT_ALGORITHMS", algorithms)
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    assert problems_of(error)[0].startswith("JWT_ALGORITHMS: ")


def test_lists_are_read_comma_separated_or_as_json(env: pytest.MonkeyPatch) -> None:
    env.setenv("JWT_ALGORITHMS", "RS256, EdDSA")
    env.setenv("CONSUMER_BACKOFF", "[0.5, 2]")
    settings = load_settings()
    assert settings.jwt_algorithms == ["RS256", "EdDSA"]
    assert settings.consumer_backoff == [0.5, 2.0]
    env.setenv("CONSUMER_BACKOFF", "0.2,0.4")
    assert load_settings().consumer_backoff == [0.2, 0.4]


def test_jetstream_needs_more_deliveries_than_backoff_steps(env: pytest.MonkeyPatch) -> None:
    env.setenv("CONSUMER_MAX_DELIVER", "3")
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    (line,) = problems_of(error)
    assert line.startswith("CONSUMER_BACKOFF: has 4 steps but CONSUMER_MAX_DELIVER is 3")


def test_log_level_accepts_lowercase_and_warn(env: pytest.MonkeyPatch) -> None:
    env.setenv("LOG_LEVEL", "warn")
    settings = load_settings()
    assert settings.log_level == "WARNING"
    assert settings.log_level_number == 30


def test_several_nats_servers_may_be_listed(env: pytest.MonkeyPatch) -> None:
    env.setenv("NATS_URL", "nats://n1:4222, nats://n2:4222")
    assert load_settings().nats_servers == ["nats://n1:4222", "nats://n2:4222"]


def test_overrides_win_over_the_environment(env: pytest.MonkeyPatch) -> None:
    settings = load_settings(ServiceSettings, service_name="production", http_port=8102)
    assert (settings.service_name, settings.http_port) == ("production", 8102)


def test_settings_are_frozen(env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.http_port = 1  # type: ignore[misc]


class ProductionSettings(ServiceSettings):
    battery_limit: int = Field(gt=0, description="tank batteries per lease")


def test_a_service_subclass_reports_its_own_variables_the_same_way(env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError) as error:
        load_settings(ProductionSettings)
    assert problems_of(error) == ["BATTERY_LIMIT: missing (tank batteries per lease)"]
    env.setenv("BATTERY_LIMIT", "4")
    assert load_settings(ProductionSettings).battery_limit == 4


def test_an_entrypoint_exits_2_with_the_problems_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        load_settings_or_exit()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "invalid service configuration" in err
    assert "NATS_URL: missing (the NATS server URL, nats://host:4222)" in err
