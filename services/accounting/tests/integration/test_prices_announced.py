"""A price is entered once, in accounting: each price entered (for the month or a lease) and each purchaser
statement is announced as ``accounting.price_recorded.v1`` in the transaction that stores it, for compliance's
severance valuation; a refused price announces nothing."""

from __future__ import annotations

import json


async def _announced(books) -> list[dict]:
    rows = await books.owner_query(
        "SELECT payload FROM outbox WHERE event_type = 'accounting.price_recorded.v1' ORDER BY created_at"
    )
    return [row[0] if isinstance(row[0], dict) else json.loads(row[0]) for row in rows]


async def test_prices_and_statements_are_announced_for_the_severance_valuation(books):
    lease = await books.lease()
    buyer = await books.partner("Pipeline Co", "purchaser")
    month_price = await books.ok("PUT", "/api/v1/prices", {"month": "2026-03-01", "product": "oil", "price": "70.25"})
    await books.ok("PUT", "/api/v1/prices", {"month": "2026-03-01", "product": "oil", "price": "70.50"})
    bad = await books.post(
        "/api/v1/prices/purchaser-statements",
        {
            "month": "2026-03-01",
            "product": "gas",
            "lease_id": str(lease),
            "purchaser_id": buyer,
            "volume": "10000",
            "price": "2.50",
            "gross_value": "30000.00",
        },
    )
    assert bad.status_code == 422
    await books.ok(
        "POST",
        "/api/v1/prices/purchaser-statements",
        {
            "month": "2026-03-01",
            "product": "gas",
            "lease_id": str(lease),
            "purchaser_id": buyer,
            "volume": "10000",
            "price": "2.50",
            "gross_value": "25000.00",
            "deductions": "1500.00",
        },
    )
    first, second, statement = await _announced(books)
    assert (first["product"], first["lease_id"], first["price"], first["source"]) == ("oil", None, "70.2500", "entered")
    assert first["price_id"] == second["price_id"] == str(month_price["id"])  # the same price, replaced
    assert second["price"] == "70.5000" and second["month"] == "2026-03-01"
    assert (statement["source"], statement["lease_id"], statement["gross_value"]) == (
        "purchaser_statement",
        str(lease),
        "25000.00",
    )
    assert (statement["volume"], statement["deductions"], statement["price"]) == ("10000.0000", "1500.00", "2.5000")
