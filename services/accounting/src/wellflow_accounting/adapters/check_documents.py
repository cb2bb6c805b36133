"""Printable checks (reportlab's canvas, letter portrait, one check per page): the check on top (the operator's
name and address, date, number, payee and address, the amount in figures and words) and the stub below with the
twelve items of Texas Nat. Res. Code 91.502 per lease line, then late-payment
interest, JIB and suspense lines, the totals and the operator's contact. Drawn with the canvas, not platypus tables:
a run prints a thousand checks, and laying out tables of paragraphs took seconds per hundred. Rendering only."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from .documents import _text
from .pdf_canvas import canvas_pdf, page_template, text_lines

# (key, header, width in characters of Courier 5.5 pt: 3.3 pt each, 163 to the 7.5-inch line): the owner's 91.502
# items (late-payment interest, JIB and suspense lines follow the table)
STUB = [
    ("lease", "Lease / well, RRC id", 26),
    ("county_state", "County, state", 14),
    ("sales_month", "Month", 7),
    ("product", "Prod", 5),
    ("volume_sold", "Volume sold", 11),
    ("price", "Price", 9),
    ("severance_tax", "Sev/prod tax", 11),
    ("windfall_profit_tax", "WPT", 5),
    ("other_deductions", "Other ded", 10),
    ("net_value", "Net value", 11),
    ("owner_decimal", "Decimal", 11),
    ("owner_gross", "Share bef tax", 13),
    ("owner_net", "Share aft ded", 13),
]
NUMERIC = {key for key, _, _ in STUB[4:]}
KEYS = [key for key, _, _ in STUB]
LEFT, TOP = 0.5 * inch, letter[1] - 0.5 * inch
ROW = 8.0
BOTTOM = 0.6 * inch


def _fit(text: str, width: float, size: float) -> str:
    chars = max(3, int(width / (size * 0.5)))
    return text if len(text) <= chars else text[: chars - 1] + "~"


def _template(operator: Sequence[tuple[str, str]]) -> Callable[[Canvas], None]:
    """What every check shares (its frame, the operator's name and address, the printed words), drawn once."""

    def draw(c: Canvas) -> None:
        c.rect(LEFT, TOP - 3.0 * inch, 7.5 * inch, 3.0 * inch)
        c.setFont("Helvetica-Bold", 10)
        c.drawString(LEFT + 8, TOP - 16, _fit(operator[0][1] if operator else "", 4.5 * inch, 10))
        c.setFont("Helvetica", 8)
        for i, (_, value) in enumerate(operator[1:3]):
            c.drawString(LEFT + 8, TOP - 28 - i * 10, _fit(value, 4.5 * inch, 8))
        c.setFont("Helvetica", 9)
        c.drawString(LEFT + 8, TOP - 1.0 * inch, "PAY TO THE ORDER OF")
        c.drawRightString(LEFT + 7.4 * inch, TOP - 2.8 * inch, "Void after 180 days")

    return draw


def _check(c: Canvas, check: Mapping[str, Any]) -> float:
    c.doForm("check")
    c.setFont("Helvetica-Bold", 11)
    c.drawRightString(LEFT + 7.4 * inch, TOP - 16, f"Check {check['check_number']}")
    c.setFont("Helvetica", 9)
    c.drawRightString(LEFT + 7.4 * inch, TOP - 30, f"Date {check['date']:%m/%d/%Y}")
    c.setFont("Helvetica-Bold", 11)
    c.drawString(LEFT + 1.5 * inch, TOP - 1.0 * inch, _fit(check["payee"], 4.3 * inch, 11))
    c.drawRightString(LEFT + 7.4 * inch, TOP - 1.0 * inch, f"${check['amount']:,.2f}")
    text_lines(
        c,
        LEFT + 8,
        TOP - 1.3 * inch,
        [_fit(check["amount_words"], 7.2 * inch, 9), _fit(check["address"] or "", 5 * inch, 9)],
        size=9,
        leading=0.3 * inch,
    )
    if check["status"] == "void":
        c.setFont("Helvetica-Bold", 40)
        c.drawCentredString(LEFT + 3.75 * inch, TOP - 2.2 * inch, "VOID")
    return TOP - 3.3 * inch


_CELLS = [(key in NUMERIC, width) for key, _, width in STUB]


def _columns(values: Sequence[str]) -> str:
    """A stub line as one fixed-width string: one text line per stub line, not one text operation per cell (a
    thousand checks draw some forty thousand lines)."""
    cells = []
    for (numeric, width), value in zip(_CELLS, values, strict=True):
        cell = value if len(value) < width else value[: width - 2] + "~"
        cells.append(cell.rjust(width - 1) if numeric else cell.ljust(width - 1))
    return " ".join(cells)


def _header(c: Canvas, y: float) -> float:
    c.setFont("Courier-Bold", 5.5)
    c.drawString(LEFT, y, _columns([label for _, label, _ in STUB]))
    c.line(LEFT, y - 2, LEFT + 7.5 * inch, y - 2)
    return y - ROW


def _rows(c: Canvas, y: float, rows: list[str]) -> float:
    """The stub lines from ``y`` down, a text object per page (a new page, under the header again, at BOTTOM)."""
    while rows:
        if y < BOTTOM:
            c.showPage()
            y = _header(c, TOP)
        room = int((y - BOTTOM) // ROW) + 1
        chunk, rows = rows[:room], rows[room:]
        text_lines(c, LEFT, y, chunk, font="Courier", size=5.5, leading=ROW)
        y -= ROW * len(chunk)
    return y


def _line(c: Canvas, y: float, text: str, *, bold: bool = False, size: float = 7) -> float:
    if y < BOTTOM:
        c.showPage()
        y = TOP
    c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
    c.drawString(LEFT, y, _fit(text, 7.5 * inch, size))
    return y - size - 3


def _stub(c: Canvas, check: Mapping[str, Any], operator: Sequence[tuple[str, str]], y: float) -> None:
    owner = f"{check['payee']} (owner {check['owner_number'] or 'not numbered'})"
    y = _line(c, y, f"Payment detail: {owner}, check {check['check_number']}", bold=True, size=8)
    if check["stub"]:
        y = _header(c, y)
        y = _rows(c, y, [_columns([_text(line.get(key)) for key in KEYS]) for line in check["stub"]])
    for other in check["other_lines"]:
        y = _line(c, y, f"{other['note']}: {_text(other['amount'])}", size=6)
    t = {k: _text(v) for k, v in check["totals"].items()}
    summary = (
        f"Owner share before taxes {t['gross']}; taxes {t['tax']}; deductions {t['deductions']}; JIB netted "
        f"{t['netted']}; late-payment interest {t['interest']}; backup withholding {t['backup_withholding']}"
    )
    y = _line(c, y, summary, size=6.5)
    y = _line(c, y, f"Net paid: {_text(check['amount'])}", bold=True, size=8)
    _line(c, y, "Questions: " + "; ".join(f"{label}: {value}" for label, value in operator), size=6)


def checks_pdf(checks: Sequence[Mapping[str, Any]], operator: Sequence[tuple[str, str]]) -> bytes:
    def draw(c: Canvas) -> None:
        page_template(c, "check", _template(operator))
        for check in checks:
            _stub(c, check, operator, _check(c, check))
            c.showPage()

    return canvas_pdf("Checks", draw)
