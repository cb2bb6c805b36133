"""Statements as files: CSV (one row per line, a header naming every column) and PDF (reportlab, letter
landscape). Rendering only: the figures come computed."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wellflow_servicekit.csv_export import csv_writer
from wellflow_servicekit.pdf import escape_markup as _escape


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def to_csv(
    columns: Sequence[tuple[str, str]], rows: Sequence[Mapping[str, Any]], preamble: Sequence[Sequence[str]] = ()
) -> bytes:
    """``preamble`` rows (label, value) come first, then a blank row, then the header and the lines."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")  # cells a spreadsheet would run are neutralized
    for row in preamble:
        writer.writerow(row)
    if preamble:
        writer.writerow([])
    writer.writerow([label for _, label in columns])
    for row in rows:
        writer.writerow([_text(row.get(key)) for key, _ in columns])
    return buffer.getvalue().encode("utf-8")


def to_pdf(
    title: str,
    header: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Mapping[str, Any]],
    footer: Sequence[tuple[str, str]],
) -> bytes:
    """A titled document: header facts, the table of lines, footer facts (totals, contact)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(letter),
        leftMargin=0.4 * inch,
        rightMargin=0.4 * inch,
        topMargin=0.4 * inch,
        bottomMargin=0.4 * inch,
        title=title,
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=6, leading=7)
    story: list[Any] = [Paragraph(_escape(title), styles["Heading2"])]
    for label, value in header:
        story.append(Paragraph(f"<b>{_escape(label)}:</b> {_escape(value)}", styles["BodyText"]))
    story.append(Spacer(1, 0.15 * inch))
    data = [[Paragraph(f"<b>{_escape(label)}</b>", small) for _, label in columns]]
    for row in rows:
        data.append([Paragraph(_escape(_text(row.get(key))), small) for key, _ in columns])
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 0.15 * inch))
    for label, value in footer:
        story.append(Paragraph(f"<b>{_escape(label)}:</b> {_escape(value)}", styles["BodyText"]))
    doc.build(story)
    return buffer.getvalue()
