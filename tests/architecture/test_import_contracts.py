"""The import-linter contracts of the root pyproject.toml (layers inside each service, services independent,
domain/ plain, app/ free of database, web and broker libraries, entrypoints without tables, contracts
depending on nothing of ours) hold for the code, and the checker really catches a break."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def test_every_import_contract_is_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert ", 0 broken." in result.stdout


def test_the_contracts_catch_an_app_importing_sqlalchemy_and_a_layer_reaching_up(tmp_path):
    package = tmp_path / "wellflow_sample"
    for layer in ("domain", "app", "adapters", "entrypoints"):
        (package / layer).mkdir(parents=True)
        (package / layer / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "bootstrap.py").write_text("from . import entrypoints\n")
    (package / "domain" / "well.py").write_text("import decimal\n")
    (package / "app" / "record.py").write_text("import sqlalchemy\nfrom ..adapters import tables\n")
    (package / "adapters" / "tables.py").write_text("from ..domain import well\n")
    (tmp_path / "contracts.ini").write_text(
        textwrap.dedent(
            """
            [importlinter]
            root_package = wellflow_sample
            include_external_packages = True

            [importlinter:contract:layers]
            name = layers
            type = layers
            containers = wellflow_sample
            layers = bootstrap
                entrypoints
                adapters
                app
                domain

            [importlinter:contract:app]
            name = app without sqlalchemy
            type = forbidden
            source_modules = wellflow_sample.app
            forbidden_modules = sqlalchemy
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = lint_imports(str(tmp_path / "contracts.ini"), cwd=tmp_path, env=env)
    assert result.returncode != 0
    assert "wellflow_sample.app.record -> wellflow_sample.adapters.tables" in result.stdout
    assert "wellflow_sample.app.record -> sqlalchemy" in result.stdout
