"""Form PR exports: a PDF laid out like the paper form (for review or copying onto the paper form), and CSV
and JSON of its lines. All of them are WellFlow's own format and say so: the RRC's EDI layout is not
available to us (docs/domain.md#filing-channels-and-export-format), and we never present an invented layout
as the RRC's."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

CSV_COLUMNS = (
    "period",
    "operator_number",
    "rrc_district",
    "identifier_kind",
    "identifier",
    "lease_name",
    "lease_type",
    "liquid_product",
    "beginning_stock_bbl",
    "liquid_production_bbl",
    "liquid_dispositions",
    "liquid_disposed_bbl",
    "ending_stock_bbl",
    "gas_product",
    "gas_production_mcf",
    "gas_dispositions",
    "gas_disposed_mcf",
    "remarks",
)


def _dispositions(items: list[dict[str, Any]]) -> str:
    return "; ".join(f"{d['code']}:{d['volume']}" + (f" {d['authority']}" if d.get("authority") else "") for d in items)


def to_json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, indent=2, sort_keys=False, default=str).encode()


def to_csv(payload: dict[str, Any]) -> bytes:
    """One row per lease; the first line is a comment naming the format (spreadsheets show it as a row)."""
    out = io.StringIO()
    out.write(f"# {payload['format']}: {payload['notice']}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    number = payload["operator"]["rrc_operator_number"] or ""
    for line in payload["lines"]:
        writer.writerow(
            [
                payload["period"],
                number,
                line["rrc_district"],
                line["identifier_kind"],
                line["identifier"] or "",
                line["lease_name"],
                line["lease_type"],
                line["liquid_product"],
                line["beginning_stock"],
                line["liquid_production"],
                _dispositions(line["liquid_dispositions"]),
                line["liquid_disposed"],
                line["ending_stock"],
                line["gas_product"],
                line["gas_production"],
                _dispositions(line["gas_dispositions"]),
                line["gas_disposed"],
                " | ".join(line["remarks"]),
            ]
        )
    return out.getvalue().encode()


def to_pdf(payload: dict[str, Any]) -> bytes:
    """Landscape, one table row per lease in the paper form's column order: district, lease number, lease
    name, then the oil/condensate block (on hand at beginning, production, disposition by code, on hand at
    end) and the gas block (production, disposition by code), then remarks."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(letter),
        leftMargin=0.4 * inch,
        rightMargin=0.4 * inch,
        topMargin=0.4 * inch,
        bottomMargin=0.4 * inch,
        title=f"Form PR {payload['period']} (WellFlow review copy)",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8)
    story = [*_heading(payload, styles, small), _lines_table(payload, small), Spacer(1, 8)]
    story.append(Paragraph(CODES_NOTE, small))
    doc.build(story)
    return buffer.getvalue()


CODES_NOTE = (
    "Disposition codes, oil/condensate: 00 pipeline, 01 truck, 02 tank car/barge, 03 tank cleaning/lease use, "
    "04 circulating oil, 05 lost, 06 tank-cleaning BS&amp;W, 07 other, 08 saltwater gathering, "
    "09 scrubber oil. Gas: 01 lease fuel, 02 transmission line, 03 processing plant, 05 gas lift, "
    "06 repressure, 07 carbon black, "
    "08 underground storage, 09 separation shrinkage, 10 flared, 11 vented (with authority AR/AE/EP/EX)."
)

HEADER = [
    ["Dist.", "Lease / ID no.", "Lease name", "Oil or condensate (BBL)", "", "", "", "Gas (MCF)", "", "Remarks"],
    [
        "",
        "",
        "",
        "On hand\nbeginning",
        "Production",
        "Disposition\n(code: volume)",
        "On hand\nend",
        "Production",
        "Disposition\n(code: volume)",
        "",
    ],
]

TABLE_STYLE = TableStyle(
    [
        ("SPAN", (3, 0), (6, 0)),
        ("SPAN", (7, 0), (8, 0)),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (2, 1)),
        ("SPAN", (9, 0), (9, 1)),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#e8e8e8")),
        ("FONTSIZE", (0, 0), (-1, -1), 7),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (3, 2), (8, -1), "RIGHT"),
        ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
    ]
)


def _heading(payload: dict[str, Any], styles: Any, small: Any) -> list[Any]:
    operator = payload["operator"]
    version = payload.get("version")
    kind = payload.get("kind", "draft")
    status = "DRAFT" if version is None else f"Version {version} ({kind})"
    return [
        Paragraph(
            "Form PR: Monthly Production Report (Texas Railroad Commission, Oil and Gas Division)", styles["Title"]
        ),
        Paragraph(
            f"Operator: <b>{operator['name'] or '-'}</b> &nbsp; RRC operator no. (P-5): "
            f"<b>{operator['rrc_operator_number'] or 'NOT SET'}</b> &nbsp; Production month: <b>{payload['period']}</b>"
            f" &nbsp; {status}",
            styles["Normal"],
        ),
        Paragraph(f"<i>{payload['notice']}</i>", small),
        Spacer(1, 6),
    ]


def _line_row(line: dict[str, Any], small: Any) -> list[Any]:
    ident = line["identifier"] or "-"
    if line["identifier_kind"] in ("api_number", "permit_number"):
        ident = f"PENDING\n{'API' if line['identifier_kind'] == 'api_number' else 'Permit'} {ident}"
    product = "Oil" if line["liquid_product"] == "oil" else "Cond."
    gas = "Csgh." if line["gas_product"] == "casinghead_gas" else "GW gas"
    return [
        line["rrc_district"],
        ident,
        Paragraph(line["lease_name"], small),
        f"{line['beginning_stock']:,}",
        f"{product} {line['liquid_production']:,}",
        Paragraph(_dispositions(line["liquid_dispositions"]).replace("; ", "<br/>") or "-", small),
        f"{line['ending_stock']:,}",
        f"{gas} {line['gas_production']:,}",
        Paragraph(_dispositions(line["gas_dispositions"]).replace("; ", "<br/>") or "-", small),
        Paragraph("<br/>".join(line["remarks"]) or "", small),
    ]


def _lines_table(payload: dict[str, Any], small: Any) -> Table:
    rows = [_line_row(line, small) for line in payload["lines"]]
    totals = payload["totals"]
    rows.append(
        [
            "",
            "",
            f"Totals ({totals['leases']} leases)",
            "",
            f"{totals['liquid_production']:,}",
            f"{totals['liquid_disposed']:,}",
            "",
            f"{totals['gas_production']:,}",
            f"{totals['gas_disposed']:,}",
            "",
        ]
    )
    widths = [0.45, 0.9, 1.6, 0.75, 0.9, 1.25, 0.75, 0.95, 1.25, 1.4]
    table = Table(HEADER + rows, colWidths=[w * inch for w in widths], repeatRows=2)
    table.setStyle(TABLE_STYLE)
    return table
