"""Statements as PDF with hostile names (issue 19): an owner, a lease or a partner named like reportlab markup
renders as the text typed, in a worker process, never as markup."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

HOSTILE = '<img src="/dev/zero" width="1" height="1"/> A<B & <font size="300">big</font>'
MARCH = date(2026, 3, 1)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")


async def test_owner_and_lease_names_render_as_text_in_the_statement_pdf(books):
    lease = await books.lease(name="Lease " + HOSTILE)
    owner = await books.partner("Owner " + HOSTILE, "royalty_owner", owner_number="R-<1>")
    operator = await books.partner("Operator WI", "working_interest_partner")
    await books.deck(lease, [(owner, "royalty", "0.125"), (operator, "working_interest", "0.875")])
    await books.volumes(lease, MARCH, 1, oil="100")
    await books.ok("PUT", "/api/v1/prices", {"month": MARCH.isoformat(), "product": "oil", "price": "70.00"})
    run = await books.ok("POST", "/api/v1/revenue/runs", {"month": MARCH.isoformat()}, status=201)
    pdf = await books.get(f"/api/v1/revenue/runs/{run['id']}/statements/{owner}", params={"format": "pdf"})
    assert pdf.status_code == 200, pdf.text
    text = _text(pdf.content)
    assert "Owner <img" in text and "Lease <img" in text and "A<B & <font" in text, text[:800]
    assert "R-<1>" in text
    assert Decimal(run["totals"]["gross_value"]) == Decimal("7000.00")
