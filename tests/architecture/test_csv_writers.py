"""Every CSV the system writes goes through `wellflow_servicekit.csv_export` (cells a spreadsheet would run as a
formula are neutralized there, issue 19): no `csv.writer` or `csv.DictWriter` anywhere else in shipped code."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITERS = ("writer", "DictWriter")
ALLOWED = ROOT / "libs/servicekit/src/wellflow_servicekit/csv_export.py"


def csv_writers(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        used = isinstance(node, ast.Attribute) and node.attr in WRITERS and _is_csv(node.value)
        imported = isinstance(node, ast.ImportFrom) and node.module == "csv"
        imported = imported and any(alias.name in WRITERS for alias in node.names)
        if used or imported:
            lines.append(node.lineno)
    return lines


def _is_csv(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "csv"


def test_only_csv_export_makes_csv_writers():
    shipped = [
        *ROOT.glob("services/*/src/**/*.py"),
        *ROOT.glob("libs/*/src/**/*.py"),
        *ROOT.glob("tools/*/src/**/*.py"),
    ]
    shipped += list(ROOT.glob("console/src/**/*.py"))
    found = [f"{path.relative_to(ROOT)}:{line}" for path in shipped if path != ALLOWED for line in csv_writers(path)]
    assert found == [], "write CSV with wellflow_servicekit.csv_export.csv_writer"
    assert csv_writers(ALLOWED)


def test_the_check_sees_a_csv_writer(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import csv\nfrom csv import DictWriter\nw = csv.writer(out)\n")
    assert csv_writers(sample) == [2, 3]
