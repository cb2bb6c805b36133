"""Service configuration, read from the environment once at start-up (12-factor).

Every service subclasses `ServiceSettings` to add its own variables; the names are the upper-cased field
names with no prefix, as listed in docs/CONVENTIONS.md. Nothing here has a fallback that would quietly
weaken the service: the token settings are required (auth never switches itself off) and only asymmetric
JWT algorithms are accepted.

Entrypoints call `load_settings_or_exit(MySettings)`: a bad or missing variable ends the process with exit
code 2 and one line per problem naming the variable, instead of a pydantic traceback. Tests call
`load_settings(MySettings, database_url=..., ...)`, where keyword overrides win over the environment.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from wellflow_contracts.subjects import stream_name

_SERVICE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# One NATS subject token, also usable inside a stream name: no dots, wildcards or whitespace.
_NATS_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
# A literal subject prefix of one or more tokens (an inbox prefix): no wildcards, no empty tokens.
_NATS_PREFIX = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
# Asymmetric algorithms only: a shared secret (HS*) would let every service mint tokens, and
# "none" would let anyone. Identity signs with EdDSA or RS256; the rest are accepted for rotations.
ALLOWED_JWT_ALGORITHMS = frozenset(
    {"EdDSA", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
)


def split_list(value: Any) -> Any:
    """Accept `a,b,c` as well as JSON `["a","b","c"]` for list variables (JSON is decoded by pydantic)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return json.loads(text)
            except ValueError as exc:
                raise ValueError(f"is not a valid JSON list ({exc})") from None
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


class ProcessSettings(BaseSettings):
    """What every WellFlow process reads: its name, token verification, HTTP, telemetry and logs.

    The gateway builds on this directly; services build on `ServiceSettings`, which adds the database and
    the event stream.
    """

    model_config = SettingsConfigDict(
        env_prefix="",
        case_sensitive=False,
        extra="ignore",
        env_ignore_empty=True,
        frozen=True,
    )

    service_name: str = Field(description="the service's short name, e.g. wells")
    jwks_url: str = Field(description="URL of identity's JWKS document with the token signing keys")
    jwks_ca_file: str | None = Field(
        default=None,
        description="PEM file of the CA that signed identity's HTTPS certificate: the JWKS is fetched trusting it "
        "alone (default: the system's trusted CAs)",
    )
    jwks_require_tls: bool = Field(
        default=False,
        description="refuse a plain http:// JWKS_URL (every deployment sets it: the signing keys must not travel "
        "where anyone on the path could swap them; the dev stack on 127.0.0.1 leaves it off)",
    )
    jwt_issuer: str = Field(description="the `iss` every access token must carry")
    jwt_audience: str = Field(description="the `aud` every access token must carry")
    jwt_algorithms: Annotated[list[str], NoDecode] = Field(
        default=["EdDSA", "RS256"], description="accepted token signing algorithms"
    )
    http_host: str = Field(default="127.0.0.1", description="address the HTTP server binds")
    http_port: int = Field(default=8100, ge=0, le=65535, description="port the HTTP server binds")
    token_cache_seconds: float = Field(
        default=30.0, ge=0, le=300, description="how long a verified access token is remembered (0: never)"
    )
    jwks_refresh_seconds: float = Field(
        default=300.0,
        gt=0,
        le=3600,
        description="how old the cached JWKS may get before it is fetched again: a key withdrawn from identity's "
        "JWKS is trusted at most this long (plus 30 s between fetches and TOKEN_CACHE_SECONDS)",
    )
    jwks_max_stale_seconds: float = Field(
        default=3600.0,
        gt=0,
        le=86400,
        description="while the JWKS cannot be fetched, the last keys are used at most this long after their last "
        "successful fetch; then tokens answer 503 until it can be fetched again",
    )
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None, description="OTLP/HTTP collector base URL, e.g. http://otel-collector:4318"
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING, ERROR or CRITICAL")
    log_format: Literal["json", "text"] = Field(default="json", description="json or text")

    @field_validator("service_name")
    @classmethod
    def _check_service_name(cls, value: str) -> str:
        if not _SERVICE_NAME.match(value):
            raise ValueError("must be lowercase letters, digits and underscores, starting with a letter (e.g. wells)")
        return value

    @field_validator("jwks_url")
    @classmethod
    def _check_jwks_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _check_jwks_transport(self) -> Self:
        if self.jwks_url.startswith("http://"):
            if self.jwks_require_tls:
                raise ValueError(
                    "JWKS_URL: must be an https:// URL when JWKS_REQUIRE_TLS is true (identity's signing keys never "
                    "travel in the clear in a deployment)"
                )
            if self.jwks_ca_file:
                raise ValueError("JWKS_URL: is plain http://, but JWKS_CA_FILE is set: use identity's https:// URL")
        return self

    @field_validator("jwt_issuer", "jwt_audience", "http_host")
    @classmethod
    def _check_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("jwt_algorithms", mode="before")
    @classmethod
    def _split_algorithms(cls, value: Any) -> Any:
        return split_list(value)

    @field_validator("jwt_algorithms")
    @classmethod
    def _check_algorithms(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("must name at least one algorithm, e.g. EdDSA,RS256")
        for name in value:
            if name.lower() == "none":
                raise ValueError("'none' would accept unsigned tokens and is never allowed")
            if name.upper().startswith("HS"):
                raise ValueError(f"{name} is a shared-secret algorithm; tokens must be signed asymmetrically")
            if name not in ALLOWED_JWT_ALGORITHMS:
                choices = ", ".join(sorted(ALLOWED_JWT_ALGORITHMS))
                raise ValueError(f"{name} is not an accepted algorithm; choose from {choices}")
        return list(dict.fromkeys(value))

    @field_validator("otel_exporter_otlp_endpoint")
    @classmethod
    def _check_otlp_endpoint(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http:// or https:// URL (OTLP over HTTP)")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _check_log_level(cls, value: Any) -> Any:
        if isinstance(value, str):
            level = value.strip().upper()
            level = "WARNING" if level == "WARN" else level
            if level not in _LOG_LEVELS:
                raise ValueError(f"must be one of {', '.join(_LOG_LEVELS)}")
            return level
        return value

    @property
    def log_level_number(self) -> int:
        """The `logging` level for LOG_LEVEL."""
        return logging.getLevelNamesMapping()[self.log_level]


class ServiceSettings(ProcessSettings):
    """Settings every WellFlow service needs; subclass to add a service's own."""

    database_url: str = Field(description="the runtime role's PostgreSQL URL, postgresql+asyncpg://...")
    database_owner_url: str | None = Field(
        default=None, description="the owner role's PostgreSQL URL, used only by migrations"
    )
    nats_url: str = Field(description="the NATS server URL, nats://host:4222")
    nats_inbox_prefix: str | None = Field(
        default=None,
        validate_default=True,
        description="subject prefix of the service's reply inboxes (default _INBOX_<service>); its NATS user may "
        "subscribe only there (deploy/nats/accounts.conf)",
    )
    nats_tls_ca_file: str | None = Field(
        default=None,
        description="PEM file of the CA that signed the NATS servers' certificates (tls:// URLs; default: the "
        "system's trusted CAs)",
    )
    event_subject_root: str = Field(default="wellflow", description="first token of every event subject")
    outbox_batch_size: int = Field(default=200, ge=1, le=1000, description="rows the relay claims at once")
    outbox_poll_interval: float = Field(
        default=1.0, gt=0, le=300, description="seconds between relay polls when no NOTIFY arrives"
    )
    consumer_max_deliver: int = Field(
        default=5, ge=1, le=1000, description="deliveries of one event before it is dead-lettered"
    )
    consumer_backoff: Annotated[list[float], NoDecode] = Field(
        default=[1, 5, 15, 30], description="seconds to wait before each redelivery, e.g. 1,5,15,30"
    )
    db_pool_size: int = Field(
        default=20, ge=1, le=200, description="connections in the database pool (above CONSUMER_CONCURRENCY)"
    )
    consumer_concurrency: int = Field(
        default=8, ge=1, le=256, description="events handled at once per consumer (one well's events in order)"
    )
    consumer_coalesce_linger: float = Field(
        default=0.2,
        ge=0,
        le=5,
        description="seconds a coalescing consumer waits for newer revisions of one key before applying the newest",
    )
    pdf_render_timeout_seconds: float = Field(
        default=30.0, gt=0, le=600, description="seconds one PDF may take to render before it is abandoned"
    )
    pdf_render_memory_mb: int = Field(
        default=384, ge=64, le=8192, description="address space (MB) of the process that renders PDFs"
    )

    @property
    def stream_name(self) -> str:
        """The JetStream stream for integration events, named after the subject root (`WELLFLOW_EVENTS`)."""
        return stream_name(self.event_subject_root)

    @property
    def nats_servers(self) -> list[str]:
        """NATS_URL may list several servers separated by commas, as nats-py accepts them."""
        return [part.strip() for part in self.nats_url.split(",") if part.strip()]

    @field_validator("database_url", "database_owner_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("postgresql+asyncpg://"):
            raise ValueError("must start with postgresql+asyncpg:// (the services talk to PostgreSQL via asyncpg)")
        return value

    @field_validator("nats_url")
    @classmethod
    def _check_nats_url(cls, value: str) -> str:
        servers = [part.strip() for part in value.split(",") if part.strip()]
        if not servers:
            raise ValueError("must name at least one server, e.g. nats://127.0.0.1:4222")
        for server in servers:
            if not server.startswith(("nats://", "tls://")):
                raise ValueError("each server must start with nats:// or tls://")
        return value

    @field_validator("nats_inbox_prefix")
    @classmethod
    def _check_inbox_prefix(cls, value: str | None, info: ValidationInfo) -> str:
        if value is None:
            return default_inbox_prefix(info.data.get("service_name") or "")
        if not _NATS_PREFIX.match(value):
            raise ValueError("must be NATS subject tokens (letters, digits, '_' or '-') joined by dots, no wildcards")
        if value == "_INBOX":
            raise ValueError("must be the service's own prefix, not the shared _INBOX (e.g. _INBOX_wells)")
        return value

    @field_validator("event_subject_root")
    @classmethod
    def _check_subject_root(cls, value: str) -> str:
        if not _NATS_TOKEN.match(value):
            raise ValueError("must be a single NATS subject token: letters, digits, '_' or '-', no dots")
        return value

    @field_validator("consumer_backoff", mode="before")
    @classmethod
    def _split_backoff(cls, value: Any) -> Any:
        return split_list(value)

    @field_validator("consumer_backoff")
    @classmethod
    def _check_backoff(cls, value: list[float], info: ValidationInfo) -> list[float]:
        if not value:
            raise ValueError("must list at least one delay in seconds, e.g. 1,5,15,30")
        if any(delay <= 0 for delay in value):
            raise ValueError("every delay must be a positive number of seconds")
        max_deliver = info.data.get("consumer_max_deliver")
        # A delay comes before each redelivery, so there are CONSUMER_MAX_DELIVER - 1 of them: a longer
        # list would promise waits that never happen.
        if max_deliver is not None and len(value) >= max_deliver:
            raise ValueError(
                f"has {len(value)} steps but CONSUMER_MAX_DELIVER is {max_deliver}; "
                f"only {max_deliver - 1} redeliveries ever wait"
            )
        return value


def default_inbox_prefix(service: str) -> str:
    """``_INBOX_<service>``: where a service's replies arrive unless NATS_INBOX_PREFIX says otherwise."""
    return f"_INBOX_{service}" if service else "_INBOX"


S = TypeVar("S", bound=ProcessSettings)


class ConfigurationError(Exception):
    """The environment does not describe a runnable service; `problems` has one line per variable."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid service configuration:\n" + "\n".join(f"  {p}" for p in problems))

    @classmethod
    def from_validation_error(cls, error: ValidationError, settings_cls: type[BaseSettings]) -> ConfigurationError:
        """Translate pydantic's errors into lines naming the environment variable, never its value."""
        problems: list[str] = []
        for item in error.errors(include_url=False, include_input=False, include_context=False):
            loc = item["loc"]
            message = item["msg"].removeprefix("Value error, ")
            if not loc:
                problems.append(message)
                continue
            field_name = str(loc[0])
            variable = _variable_name(settings_cls, field_name)
            if len(loc) > 1:
                message = f"item {'.'.join(str(part) for part in loc[1:])}: {message}"
            if item["type"] == "missing":
                field = settings_cls.model_fields.get(field_name)
                why = f" ({field.description})" if field is not None and field.description else ""
                problems.append(f"{variable}: missing{why}")
            else:
                problems.append(f"{variable}: {message}")
        return cls(problems)


def _variable_name(settings_cls: type[BaseSettings], field_name: str) -> str:
    field = settings_cls.model_fields.get(field_name)
    if field is not None and isinstance(field.validation_alias, str):
        return field.validation_alias.upper()
    prefix = settings_cls.model_config.get("env_prefix") or ""
    return f"{prefix}{field_name}".upper()


def load_settings(cls: type[S] = ServiceSettings, **overrides: Any) -> S:  # type: ignore[assignment]
    """Read settings from the environment; keyword `overrides` (field names) take precedence.

    Raises `ConfigurationError` listing every problem at once, so an operator fixes them in one go.
    """
    try:
        return cls(**overrides)
    except ValidationError as exc:
        raise ConfigurationError.from_validation_error(exc, cls) from None


def load_settings_or_exit(cls: type[S] = ServiceSettings, **overrides: Any) -> S:  # type: ignore[assignment]
    """For entrypoints: like `load_settings`, but print the problems to stderr and exit with status 2."""
    try:
        return load_settings(cls, **overrides)
    except ConfigurationError as exc:
        print(f"wellflow: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
