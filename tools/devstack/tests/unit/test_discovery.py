from pathlib import Path

import pytest

from wellflow_devstack.discovery import DiscoveryError, discover_services, find_repo_root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def service_toml(name: str, port: int, extra: str = "") -> str:
    return (
        f'[project]\nname = "wellflow-{name}"\nversion = "0.1.0"\n\n'
        f'[tool.wellflow.service]\nname = "{name}"\napp = "wellflow_{name}.bootstrap:create_app"\n'
        f"port = {port}\n{extra}"
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write(tmp_path / "pyproject.toml", '[tool.uv.workspace]\nmembers = ["services/*"]\n')
    return tmp_path


def test_identity_comes_first_and_the_gateway_last(repo: Path) -> None:
    for name, port in [("wells", 8102), ("gateway", 8000), ("accounting", 8105), ("identity", 8101)]:
        write(repo / "services" / name / "pyproject.toml", service_toml(name, port))

    names = [spec.name for spec in discover_services(repo)]

    assert names == ["identity", "accounting", "wells", "gateway"]


def test_packages_without_a_service_table_are_not_services(repo: Path) -> None:
    write(repo / "services" / "wells" / "pyproject.toml", service_toml("wells", 8102))
    write(repo / "tools" / "devstack" / "pyproject.toml", '[project]\nname = "wellflow-devstack"\n')
    write(repo / "services" / "notes" / "README.md", "not a package")

    assert [spec.name for spec in discover_services(repo)] == ["wells"]


def test_a_stand_in_under_tools_is_run_too(repo: Path) -> None:
    write(
        repo / "tools" / "rrc-portal" / "pyproject.toml",
        service_toml("rrc_portal", 8200, "database = false\n"),
    )

    (spec,) = discover_services(repo)

    assert (spec.name, spec.port, spec.database) == ("rrc_portal", 8200, False)


def test_migrations_resolve_to_the_folder_holding_alembic_ini(repo: Path) -> None:
    service = repo / "services" / "wells"
    write(service / "pyproject.toml", service_toml("wells", 8102, 'migrations = "."\n'))
    write(service / "alembic.ini", "[alembic]\nscript_location = migrations\n")
    (service / "src").mkdir()

    (spec,) = discover_services(repo)

    assert spec.migrations == service.resolve()
    assert spec.app == "wellflow_wells.bootstrap:create_app"
    assert spec.directory == service.resolve()
    assert spec.source_dir == service / "src"
    assert spec.database is True


def test_an_empty_checkout_has_no_services(repo: Path) -> None:
    assert discover_services(repo) == []


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ('name = "Wells"\napp = "m:f"\nport = 1\n', "'name'"),
        ('name = "wells"\napp = "no_factory"\nport = 1\n', "'app'"),
        ('name = "wells"\napp = "m:f"\nport = "8102"\n', "'port'"),
        ('name = "wells"\napp = "m:f"\nport = 70000\n', "'port'"),
        ('name = "wells"\napp = "m:f"\nport = 1\nmigrations = "db"\n', "no alembic.ini"),
        ('name = "wells"\napp = "m:f"\nport = 1\nprot = 2\n', "unknown keys"),
    ],
)
def test_a_declaration_that_cannot_run_names_its_file(repo: Path, table: str, complaint: str) -> None:
    pyproject = write(repo / "services" / "wells" / "pyproject.toml", f"[tool.wellflow.service]\n{table}")

    with pytest.raises(DiscoveryError) as caught:
        discover_services(repo)

    assert complaint in str(caught.value)
    assert str(pyproject) in str(caught.value)


def test_two_services_on_one_port_are_refused(repo: Path) -> None:
    write(repo / "services" / "wells" / "pyproject.toml", service_toml("wells", 8102))
    write(repo / "services" / "production" / "pyproject.toml", service_toml("production", 8102))

    with pytest.raises(DiscoveryError, match="port 8102"):
        discover_services(repo)


def test_the_repo_root_is_found_from_a_subfolder(repo: Path) -> None:
    deep = repo / "services" / "wells" / "src"
    deep.mkdir(parents=True)

    assert find_repo_root(deep) == repo


def test_a_plain_pyproject_is_not_the_root(repo: Path) -> None:
    service = write(repo / "services" / "wells" / "pyproject.toml", service_toml("wells", 8102)).parent

    assert find_repo_root(service) == repo


def test_a_service_may_ask_for_generated_secrets(tmp_path):
    service = tmp_path / "services" / "identity"
    service.mkdir(parents=True)
    (service / "pyproject.toml").write_text(
        '[tool.wellflow.service]\nname = "identity"\napp = "m:f"\nport = 8101\ndatabase = false\n'
        'secrets = ["KEY_ENCRYPTION_KEY"]\n'
    )
    (spec,) = discover_services(tmp_path)
    assert spec.secrets == ("KEY_ENCRYPTION_KEY",)


def test_secret_names_must_be_environment_variable_names(tmp_path):
    service = tmp_path / "services" / "identity"
    service.mkdir(parents=True)
    (service / "pyproject.toml").write_text(
        '[tool.wellflow.service]\nname = "identity"\napp = "m:f"\nport = 8101\nsecrets = ["not a name"]\n'
    )
    with pytest.raises(DiscoveryError, match="secrets"):
        discover_services(tmp_path)


def test_the_declaration_names_the_package_settings_routes_and_public_paths(repo: Path) -> None:
    extra = (
        'settings = "wellflow_wells.config:Config"\n'
        'routes = ["/api/v1/fields", "/api/v1/wells"]\npublic = ["/api/v1/wells/map"]\n'
    )
    write(repo / "services" / "wells" / "pyproject.toml", service_toml("wells", 8102, extra))
    write(repo / "services" / "production" / "pyproject.toml", service_toml("production", 8103))

    production, wells = discover_services(repo)

    assert (wells.package, wells.settings_target) == ("wellflow-wells", "wellflow_wells.config:Config")
    assert (wells.routes, wells.public) == (("/api/v1/fields", "/api/v1/wells"), ("/api/v1/wells/map",))
    assert production.settings_target == "wellflow_production.settings:ProductionSettings"
    assert (production.routes, production.public) == ((), ())
    assert production.events and wells.events


@pytest.mark.parametrize(
    "extra",
    ['routes = ["api/v1/wells"]\n', 'routes = ["/api/v1/wells/"]\n', 'public = "/x"\n', 'settings = "no-colon"\n'],
)
def test_bad_routes_public_paths_or_settings_name_the_file(repo: Path, extra: str) -> None:
    write(repo / "services" / "wells" / "pyproject.toml", service_toml("wells", 8102, extra))

    with pytest.raises(DiscoveryError, match=r"services/wells/pyproject.toml \[tool.wellflow.service\]"):
        discover_services(repo)
