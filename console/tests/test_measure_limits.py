"""The pumper's gauge and run ticket forms check a typo on the phone (pages/production/measure.js) with production's
own limits: every number field of ``TankGaugeCreate``, ``RunTicketCreate`` and their ``Gauge`` has a rule in the
console with the same bounds (ge/le/gt/lt), decimal places, whole-number rule and requiredness. A limit changed on
one side only fails here (the console would refuse what the API takes, or keep a typo the API refuses later)."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from typing import Annotated, Any, get_args, get_origin

import pytest
from pydantic import BaseModel

import wellflow_console
from wellflow_production.entrypoints import schemas

MEASURE = wellflow_console.static_dir() / "assets/pages/production/measure.js"
BOUNDS = ("ge", "le", "gt", "lt")


def console_limits() -> dict[str, Any]:
    script = (
        f"const m = await import({json.dumps(MEASURE.as_uri())});"
        "console.log(JSON.stringify({gauge: m.GAUGE_LIMITS, tank_gauge: m.TANK_GAUGE_LIMITS,"
        " run_ticket: m.RUN_TICKET_LIMITS, tank_gauge_required: m.TANK_GAUGE_REQUIRED,"
        " run_ticket_required: m.RUN_TICKET_REQUIRED}));"
    )
    node = shutil.which("node")
    if node is None:  # test_node_units.py says the same (a machine with Python only)
        pytest.skip("node is not on PATH: the console's limits were not read")
    result = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def api_rule(model: type[BaseModel], name: str) -> dict[str, Any]:
    """A field's bounds as the console writes them: {ge, le, gt, lt, places, whole}."""
    info = model.model_fields[name]
    found = list(info.metadata)
    for arg in (info.annotation, *get_args(info.annotation)):
        if get_origin(arg) is Annotated:
            for meta in get_args(arg)[1:]:
                found.extend(getattr(meta, "metadata", [meta]))
    rule: dict[str, Any] = {}
    for constraint in found:
        for key in BOUNDS:
            if getattr(constraint, key, None) is not None:
                rule[key] = Decimal(getattr(constraint, key))
        if getattr(constraint, "decimal_places", None) is not None:
            rule["places"] = constraint.decimal_places
    if info.annotation is int:
        rule["whole"] = True
    return rule


def console_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {key: Decimal(str(rule[key])) for key in BOUNDS if key in rule}
    if "places" in rule:
        out["places"] = rule["places"]
    if rule.get("whole"):
        out["whole"] = True
    return out


def numbers(model: type[BaseModel]) -> set[str]:
    """The model's number fields (Decimal or int, optional or not)."""
    out = set()
    for name, info in model.model_fields.items():
        types = {info.annotation, *get_args(info.annotation)}
        types |= {get_args(t)[0] for t in types if get_origin(t) is Annotated}
        if types & {Decimal, int}:
            out.add(name)
    return out


def test_every_number_of_a_gauge_and_a_ticket_has_the_api_limits_on_the_phone():
    limits = console_limits()
    for model, rules in (
        (schemas.Gauge, limits["gauge"]),
        (schemas.TankGaugeCreate, {**limits["gauge"], **limits["tank_gauge"]}),
        (schemas.RunTicketCreate, limits["run_ticket"]),
    ):
        assert set(rules) == numbers(model), f"{model.__name__}: the console checks other fields than the API has"
        for name, rule in rules.items():
            assert console_rule(rule) == api_rule(model, name), f"{model.__name__}.{name}"


def test_the_fields_the_api_requires_are_required_on_the_phone():
    limits = console_limits()
    required = {n for n, f in schemas.TankGaugeCreate.model_fields.items() if f.is_required()}
    assert set(limits["tank_gauge_required"]) == required & numbers(schemas.TankGaugeCreate)
    assert set(limits["tank_gauge_required"]) == {n for n, f in schemas.Gauge.model_fields.items() if f.is_required()}
    required = {n for n, f in schemas.RunTicketCreate.model_fields.items() if f.is_required()}
    assert set(limits["run_ticket_required"]) == required & numbers(schemas.RunTicketCreate)
