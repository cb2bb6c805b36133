"""Recipients' 1099 statements as PDF (Copy B content, as a substitute statement): one page per owner and form,
drawn with reportlab's canvas (no paragraph markup reads the typed text, so names print as typed). Rendered in the
service's capped PDF worker (``wellflow_servicekit.pdf``), like the owner statements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from .pdf_canvas import canvas_pdf, page_template, text_lines

LEGEND = (
    "This is important tax information and is being furnished to the IRS. If you are required to file a return,",
    "a negligence penalty or other sanction may be imposed on you if this income is taxable and the IRS",
    "determines that it has not been reported.",
)
TITLES = {"1099-MISC": "Miscellaneous Information", "1099-NEC": "Nonemployee Compensation"}


def _labels(canvas: Canvas, x: float, y: float, labels: Sequence[str]) -> None:
    canvas.setFont("Helvetica-Bold", 8)
    for label in labels:
        canvas.drawString(x, y, label)
        y -= 13


def _lines(canvas: Canvas, x: float, y: float, lines: Sequence[str], size: float = 10) -> None:
    text_lines(canvas, x, y, (line[:70] for line in lines), size=size)


LEFT, TOP = 0.6 * inch, letter[1] - 0.7 * inch
RIGHT = letter[0] / 2 + 0.3 * inch
# the left column's blocks: label, then up to 4 lines of values, at fixed heights
BLOCKS = (
    ("PAYER'S name, street address, city, state, ZIP and telephone", 4),
    ("PAYER'S TIN", 1),
    ("RECIPIENT'S TIN", 1),
    ("RECIPIENT'S name and address", 4),
    ("Account number (owner number)", 1),
)


def _template(canvas: Canvas) -> None:
    """What every statement page shares, drawn once as a PDF form and placed on each page."""
    canvas.setFont("Helvetica", 8)
    canvas.drawString(
        LEFT, TOP - 16, "Substitute statement: the same information as IRS Copy B. Department of the Treasury - IRS"
    )
    y = TOP - 46
    for label, lines in BLOCKS:
        _labels(canvas, LEFT, y, [label])
        y -= 13 * lines + 18
    canvas.setFont("Helvetica-Oblique", 8)
    y = 2.3 * inch
    for line in LEGEND:
        canvas.drawString(LEFT, y, line)
        y -= 11


def _page(canvas: Canvas, page: Mapping[str, Any]) -> None:
    canvas.doForm("statement")
    form = page["form"]
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(LEFT, TOP, f"Form {form}  {TITLES[form]}  {page['year']}")
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawRightString(letter[0] - LEFT, TOP, "CORRECTED" if page.get("corrected") else "Copy B For Recipient")
    values = (page["payer"], [page["payer_tin"] or "not set"], [page["recipient_tin"] or "none on file"],
              page["recipient"], [page["account"] or ""])  # fmt: skip
    y = TOP - 46
    for (_label, room), lines in zip(BLOCKS, values, strict=True):
        _lines(canvas, LEFT, y - 13, lines[:room])
        y -= 13 * room + 18
    y2 = TOP - 46
    for label, amount in page["boxes"]:
        canvas.setFont("Helvetica-Bold", 8)
        canvas.drawString(RIGHT, y2, label)
        canvas.setFont("Helvetica", 12)
        canvas.drawString(RIGHT, y2 - 15, f"$ {amount}")
        y2 -= 38
    y = 4.6 * inch
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(LEFT, y, "How the amounts relate to what you were paid")
    _lines(canvas, LEFT + 10, y - 13, [label for label, _ in page["reconciliation"]], size=9)
    amounts = canvas.beginText()
    amounts.setFont("Helvetica", 9, 13)
    for index, (_label, amount) in enumerate(page["reconciliation"]):
        width = canvas.stringWidth(amount, "Helvetica", 9)
        amounts.setTextOrigin(LEFT + 4.2 * inch - width, y - 13 * (index + 1))
        amounts.textOut(amount)
    canvas.drawText(amounts)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(LEFT, 0.5 * inch, f"Keep for your records. Questions: {page['contact']}"[:140])


def recipient_statements_pdf(pages: Sequence[Mapping[str, Any]]) -> bytes:
    """One page per recipient statement (``pages``: plain strings and lists, so the worker can receive them)."""

    def draw(canvas: Canvas) -> None:
        page_template(canvas, "statement", _template)
        for page in pages:
            _page(canvas, page)
            canvas.showPage()

    return canvas_pdf("Form 1099 recipient statements", draw)
