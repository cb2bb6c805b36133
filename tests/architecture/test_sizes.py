"""Files and functions stay small enough to read: no source file under libs/, services/ or tools/ over 400
lines and no function over 60 lines, unless the line before the function (or its first decorator) says
why with ``# long: <reason>``. Migrations and tests are left out."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60


def oversized(root: Path) -> list[str]:
    found = []
    for top in ("libs", "services", "tools"):
        for path in sorted((root / top).rglob("*.py")):
            parts = path.relative_to(root).parts
            if "migrations" in parts or "tests" in parts or ".venv" in parts:
                continue
            text = path.read_text()
            lines = text.split("\n")
            if text.count("\n") > MAX_FILE_LINES and "# long file:" not in text:
                found.append(f"{path.relative_to(root)}: {text.count(chr(10))} lines")
            for node in ast.walk(ast.parse(text)):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                if length > MAX_FUNCTION_LINES and "# long:" not in lines[first - 2]:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}(): {length} lines")
    return found


def test_no_source_file_or_function_is_oversized_without_a_reason():
    found = oversized(ROOT)
    assert not found, "split these, or say why on the line before with '# long: <reason>':\n" + "\n".join(found)


def test_the_size_check_catches_a_long_function_and_accepts_a_stated_reason(tmp_path):
    source = tmp_path / "services" / "wells" / "src" / "wellflow_wells"
    source.mkdir(parents=True)
    body = "".join(f"    x{i} = {i}\n" for i in range(61))
    (source / "long.py").write_text(f"def sprawling():\n{body}\n\n# long: one table of cases\ndef table():\n{body}")
    assert oversized(tmp_path) == ["services/wells/src/wellflow_wells/long.py:1 sprawling(): 62 lines"]
