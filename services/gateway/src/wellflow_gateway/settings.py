"""The gateway's configuration, read from the environment once at start-up.

The gateway has no database and no event stream of its own, so it does not use servicekit's
`ServiceSettings` (which requires DATABASE_URL and NATS_URL); it reads the same token variables
(JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_ALGORITHMS) with the same rules, WELLFLOW_SERVICE_URLS (the
default cell, set by `wellflow up`) and its own GATEWAY_* variables. A bad value stops start-up with one
line per variable, never echoing the value, through servicekit's `ConfigurationError`.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from wellflow_servicekit.settings import ALLOWED_JWT_ALGORITHMS, ConfigurationError

DEFAULT_CELL = "default"
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


def _json(value: Any, what: str) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return {}
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ValueError(f"is not valid JSON ({exc.__class__.__name__}); expected {what}") from None
    return value


def _check_base_url(service: str, url: Any) -> str:
    if not isinstance(url, str):
        raise ValueError(f"the URL of {service!r} must be a string")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the URL of {service!r} must be an http:// or https:// base URL")
    if parts.query or parts.fragment:
        raise ValueError(f"the URL of {service!r} must not have a query or fragment")
    return url.rstrip("/")


def _check_cell(name: str, services: Any) -> dict[str, str]:
    if not isinstance(services, dict):
        raise ValueError(f"cell {name!r} must be an object of service name to base URL")
    return {str(service): _check_base_url(str(service), url) for service, url in services.items()}


class GatewaySettings(BaseSettings):
    """Environment variables of the gateway (names are the upper-cased field names)."""

    model_config = SettingsConfigDict(
        env_prefix="", case_sensitive=False, extra="ignore", env_ignore_empty=True, frozen=True
    )

    service_name: str = Field(default="gateway", description="the service's short name")
    wellflow_service_urls: Annotated[dict[str, str], NoDecode] = Field(
        description='JSON object of service name to base URL, the default cell, e.g. {"identity": "http://..."}'
    )
    jwks_url: str = Field(description="URL of identity's JWKS document with the token signing keys")
    jwt_issuer: str = Field(description="the `iss` every access token must carry")
    jwt_audience: str = Field(description="the `aud` every access token must carry")
    jwt_algorithms: Annotated[list[str], NoDecode] = Field(
        default=["EdDSA", "RS256"], description="accepted token signing algorithms"
    )
    http_host: str = Field(default="127.0.0.1", description="address the HTTP server binds")
    http_port: int = Field(default=8000, ge=0, le=65535, description="port the HTTP server binds")
    otel_exporter_otlp_endpoint: str | None = Field(default=None, description="OTLP/HTTP collector base URL")
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING, ERROR or CRITICAL")
    log_format: Literal["json", "text"] = Field(default="json", description="json or text")

    gateway_cells: Annotated[dict[str, dict[str, str]], NoDecode] = Field(
        default_factory=dict,
        description='JSON object of extra cells: {"cell-b": {"wells": "http://...", ...}}',
    )
    gateway_tenant_cells: Annotated[dict[UUID, str], NoDecode] = Field(
        default_factory=dict, description='JSON object of organization id to cell name: {"<uuid>": "cell-b"}'
    )
    gateway_global_services: Annotated[list[str], NoDecode] = Field(
        default=["identity"],
        description="services every cell shares from the default cell when the cell does not name its own",
    )
    gateway_rate_limit_principal_per_second: float = Field(
        default=50.0, gt=0, description="sustained requests per second per authenticated principal"
    )
    gateway_rate_limit_principal_burst: int = Field(
        default=100, ge=1, description="requests a principal may send at once above the sustained rate"
    )
    gateway_rate_limit_ip_per_second: float = Field(
        default=10.0, gt=0, description="sustained requests per second per client IP on unauthenticated routes"
    )
    gateway_rate_limit_ip_burst: int = Field(default=30, ge=1, description="burst per client IP")
    gateway_trusted_proxy_hops: int = Field(
        default=0,
        ge=0,
        le=10,
        description="load balancers in front of the gateway whose X-Forwarded-For entries are trusted (0: none)",
    )
    gateway_max_body_bytes: int = Field(
        default=10 * 1024 * 1024, ge=0, description="largest request body forwarded (413 above it)"
    )
    gateway_connect_timeout: float = Field(default=2.0, gt=0, le=60, description="seconds to connect upstream")
    gateway_read_timeout: float = Field(
        default=30.0, gt=0, le=600, description="seconds to wait for upstream response headers or each body chunk"
    )
    gateway_pool_size: int = Field(default=512, ge=1, le=10000, description="upstream connections kept at most")
    gateway_jwks_refetch_interval: float = Field(
        default=5.0, gt=0, le=3600, description="least seconds between two JWKS fetches on an unknown kid"
    )
    gateway_token_cache_seconds: float = Field(
        default=30.0, ge=0, le=300, description="longest time a verified access token is remembered (0: never)"
    )
    gateway_api_key_cache_seconds: float = Field(
        default=60.0, ge=0, le=3600, description="longest time an exchanged API key token is reused"
    )
    gateway_openapi_ttl: float = Field(default=30.0, ge=0, le=3600, description="seconds the merged OpenAPI is cached")

    @field_validator("wellflow_service_urls", mode="before")
    @classmethod
    def _parse_service_urls(cls, value: Any) -> Any:
        return _json(value, 'an object such as {"identity": "http://127.0.0.1:8101"}')

    @field_validator("wellflow_service_urls")
    @classmethod
    def _check_service_urls(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_cell(DEFAULT_CELL, value)

    @field_validator("gateway_cells", mode="before")
    @classmethod
    def _parse_cells(cls, value: Any) -> Any:
        return _json(value, 'an object such as {"cell-b": {"wells": "http://10.0.2.5:8102"}}')

    @field_validator("gateway_cells")
    @classmethod
    def _check_cells(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        if DEFAULT_CELL in value:
            raise ValueError(f"the cell name {DEFAULT_CELL!r} is taken by WELLFLOW_SERVICE_URLS")
        return {name: _check_cell(name, services) for name, services in value.items()}

    @field_validator("gateway_tenant_cells", mode="before")
    @classmethod
    def _parse_tenant_cells(cls, value: Any) -> Any:
        return _json(value, 'an object such as {"0190f5a2-...": "cell-b"}')

    @field_validator("jwt_algorithms", "gateway_global_services", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return _json(text, 'a list such as ["EdDSA"]')
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("jwt_algorithms")
    @classmethod
    def _check_algorithms(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("must name at least one algorithm, e.g. EdDSA,RS256")
        for name in value:
            if name not in ALLOWED_JWT_ALGORITHMS:
                raise ValueError(f"{name} is not allowed: only asymmetric algorithms (EdDSA, RS*, PS*, ES*)")
        return list(dict.fromkeys(value))

    @field_validator("jwks_url", "otel_exporter_otlp_endpoint")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("jwt_issuer", "jwt_audience", "http_host")
    @classmethod
    def _check_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
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

    @model_validator(mode="after")
    def _check_tenant_cells(self) -> GatewaySettings:
        known = {DEFAULT_CELL, *self.gateway_cells}
        unknown = sorted({cell for cell in self.gateway_tenant_cells.values() if cell not in known})
        if unknown:
            raise ValueError(f"GATEWAY_TENANT_CELLS names cells that GATEWAY_CELLS does not define: {unknown}")
        return self

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]

    @property
    def default_cell(self) -> dict[str, str]:
        """The default cell's upstreams: WELLFLOW_SERVICE_URLS without the gateway itself."""
        return {name: url for name, url in self.wellflow_service_urls.items() if name != self.service_name}


def load_gateway_settings(**overrides: Any) -> GatewaySettings:
    """Read settings from the environment (keyword overrides win); raise `ConfigurationError` on problems."""
    try:
        return GatewaySettings(**overrides)
    except ValidationError as exc:
        raise ConfigurationError.from_validation_error(exc, GatewaySettings) from None


def load_gateway_settings_or_exit(**overrides: Any) -> GatewaySettings:
    """For the entrypoint: print every problem (never a value) and exit with status 2."""
    try:
        return load_gateway_settings(**overrides)
    except ConfigurationError as exc:
        print(f"wellflow gateway: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
