"""Form PR exports: a PDF laid out like the paper form (for review or copying onto the paper form), and CSV
and JSON of its lines. All of them are WellFlow's own format and say so: the RRC's EDI layout is not
available to us (docs/domain.md#filing-channels-and-export-format), and we never present an invented layout
as the RRC's.

A gas lease with several gas wells is one stored line with ``gas_wells``; every export renders each gas well as
its own Form PR line (identified by its gas well ID). The electronic export (``to_electronic``) writes the
numeric district codes (01-14) of ``wellflow_texas.form_pr.DISTRICT_NUMBERS``; its layout is WellFlow's own,
documented in docs/compliance.md#electronic-export-wellflow-layout."""

from __future__ import annotations

import io
import json
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wellflow_servicekit.csv_export import csv_writer
from wellflow_servicekit.pdf import escape_markup as esc
from wellflow_texas.form_pr import DISTRICT_NUMBERS

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
    # added after the original columns, so older readers keep working
    "rrc_district_number",
    "api_number",
    "purchasers",
)

ELECTRONIC_FORMAT = "wellflow.form-pr-electronic.v1"
PRODUCT_CODES = {"oil": "O", "condensate": "C", "casinghead_gas": "H", "gas_well_gas": "G"}


def form_pr_rows(line: dict[str, Any]) -> list[dict[str, Any]]:
    """The Form PR lines of one stored line: the lease's own, or one per gas well (``gas_wells``), each with the
    lease's district, name, products and purchasers."""
    gas_wells = line.get("gas_wells") or []
    if not gas_wells:
        return [{**line, "api_number": None}]
    rows = []
    for well in gas_wells:
        liquid = sum(d["volume"] for d in well["liquid_dispositions"])
        gas = sum(d["volume"] for d in well["gas_dispositions"])
        rows.append(
            {
                **line,
                **well,
                "identifier_kind": "gas_well_id",
                "identifier": well["gas_well_id"],
                "liquid_disposed": liquid,
                "gas_disposed": gas,
            }
        )
    return rows


def _purchasers(line: dict[str, Any]) -> str:
    return "; ".join(
        f"{p['product']} {p['role']} {p['name']} (P-5 {p['p5_number']})" for p in line.get("purchasers") or []
    )


def _dispositions(items: list[dict[str, Any]]) -> str:
    return "; ".join(f"{d['code']}:{d['volume']}" + (f" {d['authority']}" if d.get("authority") else "") for d in items)


def to_json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, indent=2, sort_keys=False, default=str).encode()


def to_csv(payload: dict[str, Any]) -> bytes:
    """One row per lease; the first line is a comment naming the format (spreadsheets show it as a row)."""
    out = io.StringIO()
    out.write(f"# {payload['format']}: {payload['notice']}\n")
    writer = csv_writer(out, lineterminator="\n")  # cells a spreadsheet would run are neutralized
    writer.writerow(CSV_COLUMNS)
    number = payload["operator"]["rrc_operator_number"] or ""
    for line in (row for stored in payload["lines"] for row in form_pr_rows(stored)):
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
                DISTRICT_NUMBERS.get(line["rrc_district"], ""),
                line["api_number"] or "",
                _purchasers(line),
            ]
        )
    return out.getvalue().encode()


def to_electronic(payload: dict[str, Any]) -> bytes:
    """WellFlow's own electronic layout (NOT the RRC's EDI, which is not available to us): pipe-delimited
    records, the first naming the format. ``H`` header (format, period YYYYMM, operator P-5 number), ``L`` one
    per Form PR line (numeric district 01-14, identifier kind and value, lease name, liquid product, beginning
    stock, production, ending stock, gas product, gas production, remarks), ``D`` one per disposition (product,
    code, volume, authority), ``P`` one per Form P-4 purchaser or gatherer (product, role, name, P-5 number),
    ``T`` trailer (line count)."""
    out = io.StringIO()
    writer = csv_writer(out, delimiter="|", lineterminator="\n")  # spreadsheet-safe cells, as every CSV
    writer.writerow(["#", ELECTRONIC_FORMAT, "WellFlow's own layout, not the RRC's EDI format"])
    period = payload["period"].replace("-", "")
    writer.writerow(["H", ELECTRONIC_FORMAT, period, payload["operator"]["rrc_operator_number"] or ""])
    count = 0
    for line in (row for stored in payload["lines"] for row in form_pr_rows(stored)):
        count += 1
        _electronic_line(writer, line)
    writer.writerow(["T", count])
    return out.getvalue().encode()


def _electronic_line(writer: Any, line: dict[str, Any]) -> None:
    liquid, gas = PRODUCT_CODES[line["liquid_product"]], PRODUCT_CODES[line["gas_product"]]
    writer.writerow(
        [
            "L",
            DISTRICT_NUMBERS.get(line["rrc_district"], ""),
            line["identifier_kind"],
            line["identifier"] or "",
            line["lease_name"],
            liquid,
            line["beginning_stock"],
            line["liquid_production"],
            line["ending_stock"],
            gas,
            line["gas_production"],
            " ".join(line["remarks"]),
        ]
    )
    for product, items in ((liquid, line["liquid_dispositions"]), (gas, line["gas_dispositions"])):
        for d in items:
            writer.writerow(["D", product, d["code"], d["volume"], d.get("authority") or ""])
    for p in line.get("purchasers") or []:
        writer.writerow(["P", PRODUCT_CODES.get(p["product"], ""), p["role"], p["name"], p["p5_number"]])


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
    story.extend(_purchasers_section(payload, small))
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
            f"Operator: <b>{esc(operator['name'] or '-')}</b> &nbsp; RRC operator no. (P-5): "
            f"<b>{esc(operator['rrc_operator_number'] or 'NOT SET')}</b> &nbsp; Production month: "
            f"<b>{esc(payload['period'])}</b> &nbsp; {esc(status)}",
            styles["Normal"],
        ),
        Paragraph(f"<i>{esc(payload['notice'])}</i>", small),
        Spacer(1, 6),
    ]


def _purchasers_section(payload: dict[str, Any], small: Any) -> list[Any]:
    """Each lease's Form P-4 purchasers and gatherers with their P-5 numbers (not a Form PR column: for review)."""
    entries = [
        f"<b>{esc(line['lease_name'])}</b>: {esc(_purchasers(line))}"
        for line in payload["lines"]
        if line.get("purchasers")
    ]
    if not entries:
        return []
    return [Paragraph("Purchasers and gatherers (Form P-4): " + " &nbsp; ".join(entries), small), Spacer(1, 6)]


def _line_row(line: dict[str, Any], small: Any) -> list[Any]:
    ident = line["identifier"] or "-"
    if line["identifier_kind"] in ("api_number", "permit_number"):
        ident = f"PENDING\n{'API' if line['identifier_kind'] == 'api_number' else 'Permit'} {ident}"
    product = "Oil" if line["liquid_product"] == "oil" else "Cond."
    gas = "Csgh." if line["gas_product"] == "casinghead_gas" else "GW gas"
    return [
        line["rrc_district"],
        ident,
        Paragraph(esc(line["lease_name"] + (f" (API {line['api_number']})" if line.get("api_number") else "")), small),
        f"{line['beginning_stock']:,}",
        f"{product} {line['liquid_production']:,}",
        Paragraph("<br/>".join(esc(d) for d in _dispositions(line["liquid_dispositions"]).split("; ")) or "-", small),
        f"{line['ending_stock']:,}",
        f"{gas} {line['gas_production']:,}",
        Paragraph("<br/>".join(esc(d) for d in _dispositions(line["gas_dispositions"]).split("; ")) or "-", small),
        Paragraph("<br/>".join(esc(remark) for remark in line["remarks"]), small),
    ]


def _lines_table(payload: dict[str, Any], small: Any) -> Table:
    rows = [_line_row(line, small) for stored in payload["lines"] for line in form_pr_rows(stored)]
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
