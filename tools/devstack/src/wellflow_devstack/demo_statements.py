"""The demo tenant's purchaser statement: the crude purchaser's check-stub detail for the month before the
finalized one, imported through a saved column map, with two planted mistakes the reconciliation finds:
one short load (a run ticket paid 30 BBL short) and one purchaser price error (one ticket paid at a tenth of
the posted price). Leases A and B are mapped by the purchaser's property numbers; every other ticket is paid
exactly as measured at the month's posted price."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from . import demo_history as dh
from .demo_client import Api

PROPERTIES = {"A": "PCP-4410", "B": "PCP-4411"}
SHORT_BBL = Decimal("30")
HEADER = (
    "Check Number,Check Date,Property,Property Name,Ticket,Production Month,Product,Net BBL,API Gravity,Price,Gross"
)
LAYOUT = {
    "columns": {
        "check_number": "Check Number",
        "check_date": "Check Date",
        "property_number": "Property",
        "property_name": "Property Name",
        "ticket_number": "Ticket",
        "month": "Production Month",
        "product": "Product",
        "volume": "Net BBL",
        "gravity": "API Gravity",
        "price": "Price",
        "gross_value": "Gross",
    },
    "products": {"crude": "oil"},
    "month_format": "%m/%Y",
    "date_format": "%m/%d/%Y",
}


async def load_statement(api: Api, ids: dict[str, Any], purchaser_id: str, last_month: date) -> str:
    """Import the month's statement; a line saying what the reconciliation found."""
    month = dh.month_start(last_month - timedelta(days=1))
    price = dh.posted_price("oil", month, last_month)
    await api.call(
        f"post the oil price range for {month:%Y-%m}",
        "PUT",
        "/api/v1/reconciliation/posted-prices",
        json={
            "month": month.isoformat(),
            "product": "oil",
            "low": str(price - 1),
            "high": str(price + 1),
            "source": "purchaser's posting bulletin",
        },
    )
    saved = await api.json(
        "save the purchaser's column map",
        "PUT",
        "/api/v1/purchaser-statements/column-maps",
        json={"purchaser_id": purchaser_id, "name": "Permian Crude check stub", "layout": LAYOUT},
    )
    lines = []
    for lease, number in PROPERTIES.items():
        await api.call(
            f"map property {number}",
            "PUT",
            "/api/v1/purchaser-statements/property-map",
            json={"purchaser_id": purchaser_id, "property_number": number, "lease_id": ids["leases"][lease]},
        )
        tickets = await api.json(
            f"read lease {lease}'s run tickets",
            "GET",
            "/api/v1/run-tickets",
            params={"lease_id": ids["leases"][lease], "month": month.isoformat(), "limit": 200},
        )
        for i, ticket in enumerate(sorted(tickets["items"], key=lambda t: t["ticket_number"])):
            volume, paid = Decimal(str(ticket["net_bbl"])), price
            if lease == "A" and i == 0:
                volume -= SHORT_BBL  # the short load
            if lease == "B" and i == 0:
                paid = (price / 10).quantize(Decimal("0.01"))  # the purchaser's price error
            gross = (volume * paid).quantize(Decimal("0.01"))
            lines.append(
                f"880{month:%m%y},{(last_month + timedelta(days=19)):%m/%d/%Y},{number},LEASE {lease},"
                f"{ticket['ticket_number']},{month:%m/%Y},crude,{volume},{dh.SAMPLE_GRAVITY_API},{paid},{gross}"
            )
    content = "\n".join([HEADER, *lines]) + "\n"
    report = await api.json(
        f"import the purchaser statement for {month:%Y-%m}",
        "POST",
        "/api/v1/purchaser-statements/imports",
        params={"map_id": saved["id"], "file_name": f"permian-crude-{month:%Y-%m}.csv"},
        content=content.encode(),
        headers={"content-type": "text/csv"},
    )
    return (
        f"purchaser statement {month:%Y-%m}: {report['rows_imported']} lines, "
        f"{report['reconciliation']['raised']} reconciliation items (a short load, a price error)"
    )
