"""Finding the repository root and the services the ``wellflow`` command runs.

A package is run by ``wellflow up`` when its ``pyproject.toml`` has a ``[tool.wellflow.service]`` table::

    [tool.wellflow.service]
    name = "wells"                                   # database wellflow_wells, SERVICE_NAME=wells
    app = "wellflow_wells.bootstrap:create_app"      # uvicorn --factory target
    port = 8102                                      # HTTP port on 127.0.0.1
    migrations = "."                                 # optional: folder with alembic.ini, relative
    database = true                                  # optional, default true; false for e.g. the gateway
    secrets = ["KEY_ENCRYPTION_KEY"]                 # optional: variables the stack generates once and keeps
    settings = "wellflow_wells.settings:WellsSettings"  # optional; this is the default for a service with a
                                                     # database (wellflow_<name>.settings:<Name>Settings)
    routes = ["/api/v1/fields", "/api/v1/wells"]     # optional: path prefixes the gateway sends here
    public = ["/api/v1/auth/signin"]                 # optional: exact paths the gateway forwards without a token

The same table is read by ``wellflow up`` (this package), the end-to-end harness (tests/e2e/conftest.py),
the deployment tests (tests/deploy: Dockerfile, compose, kustomize, NATS users) and deploy/Dockerfile's
build; the gateway's table (services/gateway/.../routes.py) is checked against ``routes`` and ``public``.

Every service is also told ``WELLFLOW_SERVICE_URLS``, a JSON object from service name to base URL (the
gateway routes by it).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SERVICE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
APP_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
KEYS = {"name", "app", "port", "migrations", "database", "secrets", "settings", "routes", "public"}
SEARCHED = ("services", "tools")
"""Folders whose direct subfolders may hold services (tools/ for stand-ins such as the RRC portal)."""


class DiscoveryError(ValueError):
    """A service declaration that cannot be run as written; the message names the file."""


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    app: str
    port: int
    directory: Path
    migrations: Path | None = None
    database: bool = True
    secrets: tuple[str, ...] = ()
    package: str = ""
    """The distribution's name (``[project] name``), what ``uv sync --package`` installs."""
    settings: str | None = None
    routes: tuple[str, ...] = ()
    public: tuple[str, ...] = ()

    @property
    def settings_target(self) -> str:
        """``module:Class`` of its settings: declared, or ``wellflow_<name>.settings:<Name>Settings``."""
        return self.settings or f"wellflow_{self.name}.settings:{self.name.capitalize()}Settings"

    @property
    def events(self) -> bool:
        """A service with a database publishes or consumes events, as its own NATS user (deploy/nats/accounts.conf)."""
        return self.database

    @property
    def source_dir(self) -> Path | None:
        """``src/`` of the service, put on the import path of its process (also when not installed)."""
        src = self.directory / "src"
        return src if src.is_dir() else None


def is_workspace_root(directory: Path) -> bool:
    pyproject = directory / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        data = tomllib.loads(pyproject.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return "workspace" in data.get("tool", {}).get("uv", {})


def find_repo_root(start: Path | None = None) -> Path:
    """The nearest directory, from ``start`` (default: the current one) upwards, whose pyproject.toml
    declares ``[tool.uv.workspace]``; failing that, the checkout this package is installed from."""
    starts = [Path.cwd() if start is None else Path(start), Path(__file__)]
    for origin in starts:
        origin = origin.absolute()
        for directory in [origin, *origin.parents]:
            if is_workspace_root(directory):
                return directory
    raise DiscoveryError("no WellFlow checkout found: no pyproject.toml with [tool.uv.workspace] above here")


def _order(spec: ServiceSpec) -> tuple[int, str]:
    # identity first (everyone verifies its tokens), the gateway last (it fronts everyone)
    rank = {"identity": 0, "gateway": 2}.get(spec.name, 1)
    return rank, spec.name


def _spec_from(pyproject: Path) -> ServiceSpec | None:
    try:
        data = tomllib.loads(pyproject.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise DiscoveryError(f"{pyproject}: {exc}") from exc
    table = data.get("tool", {}).get("wellflow", {}).get("service")
    if table is None:
        return None

    def fail(message: str) -> DiscoveryError:
        return DiscoveryError(f"{pyproject} [tool.wellflow.service]: {message}")

    name, app, port = table.get("name"), table.get("app"), table.get("port")
    if not isinstance(name, str) or not SERVICE_NAME.match(name):
        raise fail(f"'name' must match {SERVICE_NAME.pattern}, got {name!r}")
    if not isinstance(app, str) or not APP_TARGET.match(app):
        raise fail(f"'app' must be \"module:factory\", got {app!r}")
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise fail(f"'port' must be an integer TCP port, got {port!r}")
    database = table.get("database", True)
    if not isinstance(database, bool):
        raise fail(f"'database' must be true or false, got {database!r}")
    migrations = None
    if "migrations" in table:
        relative = table["migrations"]
        if not isinstance(relative, str):
            raise fail(f"'migrations' must be a folder path, got {relative!r}")
        migrations = (pyproject.parent / relative).resolve()
        if not (migrations / "alembic.ini").is_file():
            raise fail(f"'migrations' = {relative!r}: no alembic.ini in {migrations}")
    secrets = table.get("secrets", [])
    if not isinstance(secrets, list) or not all(isinstance(v, str) and ENV_NAME.match(v) for v in secrets):
        raise fail(f"'secrets' must be a list of environment variable names, got {secrets!r}")
    settings = table.get("settings")
    if settings is not None and (not isinstance(settings, str) or not APP_TARGET.match(settings)):
        raise fail(f"'settings' must be \"module:Class\", got {settings!r}")
    unknown = set(table) - KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}")
    return ServiceSpec(
        name=name,
        app=app,
        port=port,
        directory=pyproject.parent.resolve(),
        migrations=migrations,
        database=database,
        secrets=tuple(secrets),
        package=data.get("project", {}).get("name", ""),
        settings=settings,
        routes=_paths(table, "routes", fail),
        public=_paths(table, "public", fail),
    )


def load_target(target: str) -> Any:
    """The object a ``module:name`` target names (an app factory, a settings class)."""
    import importlib

    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _paths(table: dict[str, Any], key: str, fail: Any) -> tuple[str, ...]:
    values = table.get(key, [])
    if not isinstance(values, list) or not all(
        isinstance(v, str) and v.startswith("/") and not v.endswith("/") and "//" not in v for v in values
    ):
        raise fail(f"'{key}' must be a list of paths that start with '/' and do not end with it, got {values!r}")
    return tuple(values)


def discover_services(root: Path) -> list[ServiceSpec]:
    """Every service declared under ``root`` (see the module docstring), identity first, gateway last."""
    specs: list[ServiceSpec] = []
    for folder in SEARCHED:
        for pyproject in sorted((Path(root) / folder).glob("*/pyproject.toml")):
            spec = _spec_from(pyproject)
            if spec is not None:
                specs.append(spec)
    for attribute in ("name", "port"):
        seen: dict[object, ServiceSpec] = {}
        for spec in specs:
            value = getattr(spec, attribute)
            if value in seen:
                raise DiscoveryError(
                    f"two services declare {attribute} {value!r}: {seen[value].directory} and {spec.directory}"
                )
            seen[value] = spec
    return sorted(specs, key=_order)
