"""The architecture rules of docs/CONVENTIONS.md and docs/architecture.md#inside-a-service, checked on the code.

- a service's ``domain/`` is plain Python: no web, database or messaging framework;
- a service never imports another service (it learns from events, through ``wellflow_contracts``);
- ``wellflow_contracts`` imports no runtime plumbing and no service.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "asyncpg",
    "alembic",
    "faststream",
    "nats",
    "httpx",
    "wellflow_servicekit",
    "opentelemetry",
    "uvicorn",
)


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    module: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.module} ({self.rule})"


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def check_tree(root: Path) -> list[Violation]:
    violations: list[Violation] = []
    services = {p.name: f"wellflow_{p.name.replace('-', '_')}" for p in (root / "services").glob("*") if p.is_dir()}
    for name, package in services.items():
        source = root / "services" / name / "src" / package
        for path in source.rglob("*.py"):
            in_domain = "domain" in path.relative_to(source).parts[:-1] or path.parent.name == "domain"
            for line, module in imported_modules(path):
                top = _top(module)
                if in_domain and top in FRAMEWORKS:
                    violations.append(Violation(path, line, module, "domain/ is plain Python"))
                if top.startswith("wellflow_") and top in services.values() and top != package:
                    violations.append(Violation(path, line, module, "a service never imports another service"))
    for path in (root / "libs" / "contracts" / "src").rglob("*.py"):
        for line, module in imported_modules(path):
            if _top(module) == "wellflow_servicekit" or _top(module) in services.values():
                violations.append(Violation(path, line, module, "contracts depend on nothing of ours"))
    return violations


def test_the_code_follows_the_layering_rules():
    violations = check_tree(ROOT)
    assert not violations, "\n".join(map(str, violations))


def test_the_checker_catches_a_domain_that_imports_a_framework_and_a_service_importing_another(tmp_path):
    domain = tmp_path / "services" / "wells" / "src" / "wellflow_wells" / "domain"
    domain.mkdir(parents=True)
    (domain / "lease.py").write_text("import datetime\nfrom sqlalchemy import select\n")
    entry = tmp_path / "services" / "wells" / "src" / "wellflow_wells" / "entrypoints"
    entry.mkdir(parents=True)
    (entry / "http.py").write_text("import fastapi\nfrom wellflow_production.domain import x\n")
    (tmp_path / "services" / "production").mkdir(parents=True)
    (tmp_path / "libs" / "contracts" / "src").mkdir(parents=True)
    found = sorted((v.path.name, v.module) for v in check_tree(tmp_path))
    assert found == [("http.py", "wellflow_production.domain"), ("lease.py", "sqlalchemy")]
