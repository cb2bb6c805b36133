"""Owner statements, JIB statements and the GL journal (all `documents.to_csv`) are safe to open in a spreadsheet
(issue 19): a name or description a spreadsheet would run is written with a leading quote; amounts stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from wellflow_accounting.adapters import documents


def test_statement_csv_neutralizes_formulas_in_facts_and_lines_and_keeps_negative_amounts():
    content = documents.to_csv(
        [("owner", "Owner"), ("description", "Description"), ("amount", "Amount")],
        [
            {"owner": "=cmd|' /C calc'!A0", "description": "-1+1", "amount": Decimal("-150.00")},
            {"owner": "Ranch A", "description": "@SUM(A1)", "amount": Decimal("12.5")},
        ],
        [("Owner", "+Jane Roe"), ("Net", "-137.50")],
    )
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == ["Owner", "'+Jane Roe"]
    assert rows[1] == ["Net", "-137.50"]
    assert rows[4] == ["'=cmd|' /C calc'!A0", "'-1+1", "-150.00"]
    assert rows[5] == ["Ranch A", "'@SUM(A1)", "12.5"]
