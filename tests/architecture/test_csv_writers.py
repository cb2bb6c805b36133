"""Every CSV the system writes goes through `wellflow_servicekit.csv_export` (cells a spreadsheet would run as a
formula are neutralized there, issue 19): no `csv.writer` or `csv.DictWriter` anywhere else in shipped code."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = ROOT / "libs/servicekit/src/wellflow_servicekit/csv_export.py"


def csv_writers(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter"):
            if isinstance(node.value, ast.Name) and node.value.id == "csv":
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "csv":
            if any(alias.name in ("writer", "DictWriter") for alias in node.names):
                lines.append(node.lineno)
    return lines


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
