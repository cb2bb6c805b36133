"""What the canvas-drawn PDFs share (1099 recipient statements, checks): documents of a thousand pages whose
pages differ only in their values.

- ``canvas_pdf``: the document written with binary (compressed, not ASCII85-encoded) streams: reportlab's ASCII85
  encoding is pure Python without its C accelerator and only makes the streams larger and slower.
- ``page_template``: what every page shares (frames, labels, the operator's name) drawn once as a PDF form
  XObject and placed on each page with ``canvas.doForm(name)``, instead of being drawn again page after page.
- ``text_lines``: many lines in one text object (one font change, one origin), far cheaper than a
  ``drawString`` each.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas


def canvas_pdf(title: str, draw: Callable[[Canvas], None]) -> bytes:
    """The PDF ``draw`` writes on a letter canvas (``draw`` ends each page with ``showPage``)."""
    buffer = io.BytesIO()
    kept = rl_config.useA85
    rl_config.useA85 = 0
    try:
        canvas = Canvas(buffer, pagesize=letter, pageCompression=1)
        canvas.setTitle(title)
        draw(canvas)
        canvas.save()
    finally:
        rl_config.useA85 = kept
    return buffer.getvalue()


def page_template(canvas: Canvas, name: str, draw: Callable[[Canvas], None]) -> None:
    """``draw`` recorded once as the form ``name``; place it on a page with ``canvas.doForm(name)``."""
    canvas.beginForm(name)
    draw(canvas)
    canvas.endForm()


def text_lines(
    canvas: Canvas, x: float, y: float, lines: Iterable[str], *, font: str = "Helvetica", size: float = 10,
    leading: float = 13,
) -> None:  # fmt: skip
    """``lines`` from ``(x, y)`` down, ``leading`` points apart, as one text object."""
    text = canvas.beginText(x, y)
    text.setFont(font, size, leading)
    for line in lines:
        text.textLine(line)
    canvas.drawText(text)
