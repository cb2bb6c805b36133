"""Printable checks (reportlab, letter portrait, one check per page): the check on top (date, number, payee,
amount in figures and words, the operator's name and address) and the stub below with the twelve items of Texas
Nat. Res. Code 91.502 per lease line, then interest, JIB and suspense lines and the totals. Rendering only."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wellflow_servicekit.pdf import escape_markup as _escape

from .documents import _text

STUB = [
    ("lease", "Lease / well and id"),
    ("county_state", "County, state"),
    ("sales_month", "Sales month"),
    ("product", "Product"),
    ("volume_sold", "Volume sold"),
    ("price", "Price"),
    ("severance_tax", "Severance / production taxes"),
    ("windfall_profit_tax", "Windfall profit tax"),
    ("other_deductions", "Other deductions"),
    ("net_value", "Net value"),
    ("owner_decimal", "Owner decimal"),
    ("owner_gross", "Owner share before taxes"),
    ("owner_net", "Owner share after deductions"),
]


def _check_block(check: Mapping[str, Any], operator: Sequence[tuple[str, str]], styles: Any) -> list[Any]:
    body = styles["BodyText"]
    payer = "<br/>".join(_escape(value) for _, value in operator[:3])
    rows = [
        [
            Paragraph(payer, body),
            Paragraph(f"<b>Check {check['check_number']}</b><br/>Date {check['date']:%m/%d/%Y}", body),
        ],
        [
            Paragraph(f"Pay to the order of <b>{_escape(check['payee'])}</b>", body),
            Paragraph(f"<b>${check['amount']:,.2f}</b>", body),
        ],
        [Paragraph(_escape(check["amount_words"]), body), ""],
        [Paragraph(_escape(check["address"] or ""), body), Paragraph("Void after 180 days", body)],
    ]
    if check["status"] == "void":
        rows.append([Paragraph("<b>VOID</b>", body), ""])
    table = Table(rows, colWidths=[5.2 * inch, 2.3 * inch])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table, Spacer(1, 0.3 * inch)]


def _stub_block(check: Mapping[str, Any], operator: Sequence[tuple[str, str]], styles: Any) -> list[Any]:
    small = styles["BodyText"].clone("stub", fontSize=6, leading=7)
    owner = f"{check['payee']} (owner {check['owner_number'] or 'not numbered'})"
    story: list[Any] = [
        Paragraph(f"<b>Payment detail</b>: {_escape(owner)}, check {check['check_number']}", styles["BodyText"])
    ]
    if check["stub"]:
        data = [[Paragraph(f"<b>{_escape(label)}</b>", small) for _, label in STUB]]
        data += [[Paragraph(_escape(_text(line.get(key))), small) for key, _ in STUB] for line in check["stub"]]
        table = Table(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]
            )
        )
        story.append(table)
    for line in check["other_lines"]:
        story.append(Paragraph(f"{_escape(line['note'])}: {_escape(_text(line['amount']))}", small))
    totals = check["totals"]
    story.append(
        Paragraph(
            "Owner share before taxes {gross}; taxes {tax}; deductions {deductions}; JIB netted {netted}; "
            "interest {interest}; backup withholding {backup_withholding}".format(
                **{k: _text(v) for k, v in totals.items()}
            ),
            small,
        )
    )
    story.append(Paragraph(f"<b>Net paid: {_escape(_text(check['amount']))}</b>", styles["BodyText"]))
    contact = "; ".join(f"{label}: {value}" for label, value in operator)
    story.append(Paragraph(f"Questions: {_escape(contact)}", small))
    return story


def checks_pdf(checks: Sequence[Mapping[str, Any]], operator: Sequence[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=letter,
        leftMargin=0.5 * inch,
        rightMargin=0.5 * inch,
        topMargin=0.5 * inch,
        bottomMargin=0.5 * inch,
        title="Checks",
    )
    styles = getSampleStyleSheet()
    story: list[Any] = []
    for index, check in enumerate(checks):
        if index:
            story.append(PageBreak())
        story += _check_block(check, operator, styles)
        story += _stub_block(check, operator, styles)
    doc.build(story)
    return buffer.getvalue()
