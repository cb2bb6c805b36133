"""The console's code tables are Python's: the module the gateway serves as /assets/lib/codes.js holds the Form PR
codes of wellflow_texas.form_pr (same codes, same labels, same order), and no page keeps a copy of its own."""

from __future__ import annotations

import json
import re

import wellflow_console
from wellflow_gateway.webconsole import ConsoleFiles
from wellflow_texas import form_pr


def exported(module: str) -> dict[str, object]:
    return {name: json.loads(value) for name, value in re.findall(r"^export const (\w+) = (.*);$", module, re.M)}


def test_the_served_code_tables_are_the_form_pr_tables_of_python():
    served = ConsoleFiles().files["/assets/lib/codes.js"]
    assert served.content_type.startswith("text/javascript")
    tables = exported(served.body.decode())
    assert tables["LIQUID_DISPOSITION_CODES"] == [list(p) for p in form_pr.LIQUID_DISPOSITION_CODES.items()]
    assert tables["GAS_DISPOSITION_CODES"] == [list(p) for p in form_pr.GAS_DISPOSITION_CODES.items()]
    assert tables["FLARE_AUTHORITIES"] == [list(p) for p in form_pr.FLARE_AUTHORITIES.items()]
    assert "04" not in dict(tables["GAS_DISPOSITION_CODES"])  # retired in 2021: offered nowhere
    assert set(tables["ROLES"]) == {"owner", "manager", "pumper", "accountant", "auditor"}


def test_no_page_copies_a_code_table_and_no_file_shadows_the_rendered_one():
    static = wellflow_console.static_dir()
    for generated in wellflow_console.GENERATED:
        assert not (static / generated).exists(), f"{generated} is rendered from Python: a file would be stale"
    for script in static.rglob("*.js"):
        text = script.read_text(encoding="utf-8")
        for code, description in form_pr.GAS_DISPOSITION_CODES.items():
            assert f'"{code} {description}' not in text, f"{script.name} copies gas code {code}"
        assert '"circulating oil"' not in text and '"by exception"' not in text, f"{script.name} copies a code table"
