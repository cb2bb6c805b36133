"""The gateway's configuration, read from the environment once at start-up.

The gateway has no database and no event stream of its own, so it builds on servicekit's
`ProcessSettings` (name, token verification, HTTP, telemetry, logs: the same variables with the same
rules as every service) rather than `ServiceSettings`, and adds WELLFLOW_SERVICE_URLS (the default cell,
set by `wellflow up`) and its own GATEWAY_* variables. A bad value stops start-up with one
line per variable, never echoing the value, through servicekit's `ConfigurationError`.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode

from wellflow_servicekit.settings import ConfigurationError, ProcessSettings, load_settings, split_list

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


class GatewaySettings(ProcessSettings):
    """Environment variables of the gateway (names are the upper-cased field names)."""

    service_name: str = Field(default="gateway", description="the service's short name")
    http_port: int = Field(default=8000, ge=0, le=65535, description="port the HTTP server binds")
    wellflow_service_urls: Annotated[dict[str, str], NoDecode] = Field(
        description='JSON object of service name to base URL, the default cell, e.g. {"identity": "http://..."}'
    )
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
    gateway_upstream_ca_file: str | None = Field(
        default=None,
        description="PEM file of the CA that signed the https:// upstreams' certificates (identity's in a "
        "deployment); the gateway trusts it alone for them (default: the system's trusted CAs)",
    )
    gateway_jwks_refetch_interval: float = Field(
        default=5.0, gt=0, le=3600, description="least seconds between two JWKS fetches on an unknown kid"
    )
    gateway_api_key_cache_seconds: float = Field(
        default=60.0, ge=0, le=3600, description="longest time an exchanged API key token is reused"
    )
    gateway_openapi_ttl: float = Field(default=30.0, ge=0, le=3600, description="seconds the merged OpenAPI is cached")
    gateway_console_reload: bool = Field(
        default=False, description="re-read the web console's files on every request (while editing them)"
    )
    gateway_access_log: Literal["problems", "all"] = Field(
        default="problems",
        description="problems: an access line for each answer of 400 or more (a success is in the service's "
        "access log, same request id); all: uvicorn's line for every request",
    )

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

    @field_validator("gateway_global_services", mode="before")
    @classmethod
    def _split_services(cls, value: Any) -> Any:
        return split_list(value)

    @model_validator(mode="after")
    def _check_tenant_cells(self) -> GatewaySettings:
        known = {DEFAULT_CELL, *self.gateway_cells}
        unknown = sorted({cell for cell in self.gateway_tenant_cells.values() if cell not in known})
        if unknown:
            raise ValueError(f"GATEWAY_TENANT_CELLS names cells that GATEWAY_CELLS does not define: {unknown}")
        return self

    @model_validator(mode="after")
    def _check_identity_over_tls(self) -> GatewaySettings:
        # Sign-in, refresh and API-key exchanges carry passwords and tokens to identity: where the JWKS must be
        # https, so must every hop to identity.
        if self.jwks_require_tls:
            cells = {DEFAULT_CELL: self.wellflow_service_urls, **self.gateway_cells}
            plain = sorted(name for name, urls in cells.items() if urls.get("identity", "").startswith("http://"))
            if plain:
                raise ValueError(
                    f"WELLFLOW_SERVICE_URLS / GATEWAY_CELLS: identity must be an https:// URL when JWKS_REQUIRE_TLS "
                    f"is true (cells {plain})"
                )
        return self

    @property
    def default_cell(self) -> dict[str, str]:
        """The default cell's upstreams: WELLFLOW_SERVICE_URLS without the gateway itself."""
        return {name: url for name, url in self.wellflow_service_urls.items() if name != self.service_name}


def load_gateway_settings(**overrides: Any) -> GatewaySettings:
    """Read settings from the environment (keyword overrides win); raise `ConfigurationError` on problems."""
    return load_settings(GatewaySettings, **overrides)


def load_gateway_settings_or_exit(**overrides: Any) -> GatewaySettings:
    """For the entrypoint: print every problem (never a value) and exit with status 2."""
    try:
        return load_gateway_settings(**overrides)
    except ConfigurationError as exc:
        print(f"wellflow gateway: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
