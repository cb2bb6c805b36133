"""The pumper's reading form checks with production's own rules (pages/production/reading-rules.js): its built-in
copy (for a phone that never reached the API) equals what ``GET /api/v1/readings/rules`` serves by default, and for
a table of readings the phone and the API refuse the same fields and ask about the same ones (the API through its
schema, ``ReadingCreate``, then ``app.plausibility.check`` with a well's recent days)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

import wellflow_console
from wellflow_production.app import plausibility
from wellflow_production.app.organization import OrganizationSettings
from wellflow_production.domain.reading_rules import RecentDays, describe
from wellflow_production.entrypoints.schemas import ReadingCreate
from wellflow_servicekit.errors import Problem
from wellflow_servicekit.kernel import jsonable

RULES = wellflow_console.static_dir() / "assets/pages/production/reading-rules.js"
RECENT = {"days": 20, "oil_bbl": "2.5", "gas_mcf": "40", "water_bbl": "6"}
DAY = {"oil_bbl": "2.5", "gas_mcf": "30", "water_bbl": "4", "hours_on": "24"}
CASES: list[dict[str, Any]] = [
    {},
    {"oil_bbl": "12.5"},
    {"oil_bbl": "7.4"},
    {"oil_bbl": "1500"},
    {"gas_mcf": "400", "water_bbl": "60"},
    {"hours_on": "16"},
    {"hours_on": "16", "downtime_reason": "electrical"},
    {"hours_on": "0", "downtime_reason": "mechanical"},
    {"hours_on": "0", "downtime_reason": "mechanical", "oil_bbl": "0", "gas_mcf": "0", "water_bbl": "0"},
    {"hours_on": "25"},
    {"oil_bbl": "-1"},
    {"water_bbl": "1.2345"},
    {"hours_on": "23.999"},
    {"hours_on": "24.000", "water_bbl": "1.2340"},
    {"tubing_pressure_psi": "30001"},
    {"gas_mcf": ""},
    {"oil_bbl": "", "hours_on": ""},
]


def _node(script: str) -> Any:
    node = shutil.which("node")
    if node is None:  # test_node_units.py says the same (a machine with Python only)
        pytest.skip("node is not on PATH: the console's reading rules were not read")
    result = subprocess.run(
        [node, "--input-type=module", "-e", f"const r = await import({json.dumps(RULES.as_uri())});{script}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_phones_own_copy_of_the_rules_is_what_the_api_serves_by_default():
    settings = OrganizationSettings()
    limits = {"oil_bbl": settings.max_oil_bbl, "gas_mcf": settings.max_gas_mcf, "water_bbl": settings.max_water_bbl}
    served = jsonable(describe(limits, settings.trailing_days, date(2026, 12, 7)))
    kept = _node("console.log(JSON.stringify(r.DEFAULT_RULES));")
    served.pop("production_date"), kept.pop("production_date")  # the API's today; the phone's copy has none
    assert kept == served


def _api_verdict(values: dict[str, Any]) -> tuple[set[str], set[str]]:
    body = {"well_id": "01938a10-0000-7000-8000-000000000001", "production_date": "2026-10-05"}
    body.update({k: v for k, v in values.items() if v != ""})
    try:
        reading = ReadingCreate.model_validate(body)
    except ValidationError as exc:
        return {str(e["loc"][-1]) for e in exc.errors()}, set()
    recent = RecentDays(days=RECENT["days"], **{k: Decimal(RECENT[k]) for k in ("oil_bbl", "gas_mcf", "water_bbl")})
    try:
        warnings = plausibility.check(
            reading.model_dump(), OrganizationSettings(), well_status="producing", confirm=False, recent=recent
        )
    except Problem as problem:
        fields = {e["field"].removeprefix("body.") for e in problem.errors}
        if problem.extensions.get("code") == "confirmation_required":
            return set(), fields
        return fields, set()
    return set(), {w["field"] for w in warnings if w["code"] in plausibility.NEEDS_CONFIRMATION}


def test_the_phone_and_the_api_refuse_and_ask_about_the_same_fields():
    readings = [{**DAY, **case} for case in CASES]
    phone = _node(
        f"const recent = {json.dumps(RECENT)};"
        f"console.log(JSON.stringify({json.dumps(readings)}.map((v) => {{"
        " const out = r.checkReading(v, r.DEFAULT_RULES, { recent, status: 'producing' });"
        " return [out.errors.map((e) => e.field), out.questions.map((q) => q.field)]; })));"
    )
    for values, (errors, questions) in zip(readings, phone, strict=True):
        api_errors, api_questions = _api_verdict(values)
        if api_errors:  # the API's schema stops at the first layer; the phone may name a consequence too
            assert api_errors <= set(errors), values
        else:
            assert (set(errors), set(questions)) == (api_errors, api_questions), values
