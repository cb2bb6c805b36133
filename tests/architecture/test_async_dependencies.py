"""Every FastAPI dependency a service names with `Depends(f)` is an `async def` (issue 20).

FastAPI runs a plain `def` dependency in a worker thread: a thread hand-off, a capacity limiter and a wake-up of
the event loop on every request that uses it, for what is usually one attribute read (`request.app.state.x`).
Each service's `get_<service>` dependency was such a function and cost more CPU per request than the route's
own query (docs/benchmarks.md, "Per-request cost of a read"). A factory called inside `Depends(...)`
(`require_permission("wells", "read")`) is not checked here: what it returns is (servicekit's are async)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _shipped() -> list[Path]:
    return [*ROOT.glob("services/*/src/**/*.py"), *ROOT.glob("libs/*/src/**/*.py")]


def _kinds(tree: ast.AST) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            kinds.setdefault(node.name, set()).add("async" if isinstance(node, ast.AsyncFunctionDef) else "sync")
    return kinds


def test_dependencies_named_in_depends_are_async():
    trees = {path: ast.parse(path.read_text(), filename=str(path)) for path in _shipped()}
    local = {path: _kinds(tree) for path, tree in trees.items()}
    anywhere: dict[str, set[str]] = {}
    for kinds in local.values():
        for name, found in kinds.items():
            anywhere.setdefault(name, set()).update(found)
    sync = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Depends"):
                continue
            target = node.args[0] if node.args else None
            if isinstance(target, ast.Name):
                # defined in the same module (a nested `check` of a factory), else imported from another
                kinds = local[path].get(target.id) or anywhere.get(target.id, set())
                if kinds == {"sync"}:
                    sync.append(f"{path.relative_to(ROOT)}:{node.lineno} {target.id}")
    assert sync == [], "make these dependencies `async def` (a plain def runs in a worker thread per request)"


def test_the_scan_sees_a_sync_dependency():
    tree = ast.parse("def get_x(request): ...\nX = Annotated[int, Depends(get_x)]\n")
    assert _kinds(tree) == {"get_x": {"sync"}}
