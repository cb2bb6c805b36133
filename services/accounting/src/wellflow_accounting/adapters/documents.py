"""Statements as files: CSV (one row per line, a header naming every column) and PDF (reportlab, letter
landscape). Rendering only: the figures come computed."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wellflow_servicekit.csv_export import csv_writer
from wellflow_servicekit.pdf import escape_markup as _escape

log = logging.getLogger(__name__)


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


def _logo(data: bytes | None) -> Any:
    """The logo drawn at most 0.7 inch tall and 2.5 inches wide, or None when there is none or it cannot be read
    (identity checked its type; a file that still cannot be decoded leaves the letterhead without it)."""
    if not data:
        return None
    try:
        width, height = ImageReader(io.BytesIO(data)).getSize()
        scale = min(0.7 * inch / height, 2.5 * inch / width)
        return Image(io.BytesIO(data), width=width * scale, height=height * scale, hAlign="LEFT")
    except Exception:
        log.warning("the organization's logo could not be drawn; the statement is printed without it")
        return None


def to_pdf(
    title: str,
    header: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Mapping[str, Any]],
    footer: Sequence[tuple[str, str]],
    letterhead: Sequence[tuple[str, str]] = (),
    logo: bytes | None = None,
) -> bytes:
    """A titled document: the sender's letterhead (logo, name, address, phone), header facts, the table of
    lines, footer facts (totals, contact)."""
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
    story: list[Any] = []
    image = _logo(logo)
    if image is not None:
        story.append(image)
    for index, (label, value) in enumerate(letterhead):
        text = f"<b>{_escape(value)}</b>" if index == 0 else f"{_escape(label)}: {_escape(value)}"
        story.append(Paragraph(text, styles["BodyText"]))
    story.append(Paragraph(_escape(title), styles["Heading2"]))
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
