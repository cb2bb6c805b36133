"""Recipients' 1099 statements as PDF (Copy B content, as a substitute statement): one page per owner and form,
drawn with reportlab's canvas (no paragraph markup reads the typed text, so names print as typed). Rendered in the
service's capped PDF worker (``wellflow_servicekit.pdf``), like the owner statements."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

LEGEND = (
    "This is important tax information and is being furnished to the IRS. If you are required to file a return,",
    "a negligence penalty or other sanction may be imposed on you if this income is taxable and the IRS",
    "determines that it has not been reported.",
)
TITLES = {"1099-MISC": "Miscellaneous Information", "1099-NEC": "Nonemployee Compensation"}


def _block(canvas: Canvas, x: float, y: float, title: str, lines: Sequence[str]) -> float:
    canvas.setFont("Helvetica-Bold", 8)
    canvas.drawString(x, y, title)
    canvas.setFont("Helvetica", 10)
    for line in lines:
        y -= 13
        canvas.drawString(x, y, line[:60])
    return y - 18


def _page(canvas: Canvas, page: Mapping[str, Any]) -> None:  # long: a form is drawn top to bottom
    width, height = letter
    left, y = 0.6 * inch, height - 0.7 * inch
    canvas.setFont("Helvetica-Bold", 15)
    form = page["form"]
    canvas.drawString(left, y, f"Form {form}  {TITLES[form]}  {page['year']}")
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawRightString(width - left, y, "CORRECTED" if page.get("corrected") else "Copy B For Recipient")
    y -= 16
    canvas.setFont("Helvetica", 8)
    canvas.drawString(
        left, y, "Substitute statement: the same information as IRS Copy B. Department of the Treasury - IRS"
    )
    y -= 30
    top = y
    y = _block(canvas, left, y, "PAYER'S name, street address, city, state, ZIP and telephone", page["payer"])
    y = _block(canvas, left, y, "PAYER'S TIN", [page["payer_tin"] or "not set"])
    y = _block(canvas, left, y, "RECIPIENT'S TIN", [page["recipient_tin"] or "none on file"])
    y = _block(canvas, left, y, "RECIPIENT'S name and address", page["recipient"])
    y = _block(canvas, left, y, "Account number (owner number)", [page["account"] or ""])
    x2, y2 = width / 2 + 0.3 * inch, top
    for label, amount in page["boxes"]:
        canvas.setFont("Helvetica-Bold", 8)
        canvas.drawString(x2, y2, label)
        canvas.setFont("Helvetica", 12)
        canvas.drawString(x2, y2 - 15, f"$ {amount}")
        y2 -= 38
    y = min(y, y2) - 10
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(left, y, "How the amounts relate to what you were paid")
    canvas.setFont("Helvetica", 9)
    for label, amount in page["reconciliation"]:
        y -= 13
        canvas.drawString(left + 10, y, label)
        canvas.drawRightString(left + 4.2 * inch, y, amount)
    y -= 30
    canvas.setFont("Helvetica-Oblique", 8)
    for line in LEGEND:
        canvas.drawString(left, y, line)
        y -= 11
    canvas.setFont("Helvetica", 8)
    canvas.drawString(left, 0.5 * inch, f"Keep for your records. Questions: {page['contact']}"[:140])


def recipient_statements_pdf(pages: Sequence[Mapping[str, Any]]) -> bytes:
    """One page per recipient statement (``pages``: plain strings and lists, so the worker can receive them)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, pageCompression=1)
    canvas.setTitle("Form 1099 recipient statements")
    for page in pages:
        _page(canvas, page)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
