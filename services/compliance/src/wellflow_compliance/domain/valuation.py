"""Which price values a lease-month's product for the severance tax, when the sale carries none of its own (run
tickets carry the purchaser's price for oil and condensate, and come first: ``severance.py``). Prices are entered
once, in accounting (``accounting.price_recorded.v1``), and compliance keeps a copy:

1. the purchaser's statement for the lease (what was actually paid: its gross value and price),
2. a price entered on compliance's severance page for the lease and month,
3. accounting's price for the lease,
4. accounting's price for the month (every lease).

Gas marketing costs are not a price: they are entered on the severance page and deducted from whichever gas value
is used (Tax Code 201.101). A purchaser statement's deductions are not taken as marketing costs by themselves:
the statute's marketing costs are the producer's actual costs of compressing, dehydrating, sweetening and
delivering, which a purchaser's deductions may or may not be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from wellflow_texas.severance import value_paid

from .severance import ProductPrice, TicketSale

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class PostedPrice:
    """Accounting's price of a product for a month: for one lease (``lease_specific``) or every lease."""

    price: Decimal
    source: str  # entered or purchaser_statement
    lease_specific: bool
    gross_value: Decimal | None = None


def price_for(entered: ProductPrice | None, posted: Sequence[PostedPrice]) -> ProductPrice | None:
    """The price that values the product (``origin`` says whose), or None when there is none at all."""
    costs = entered.marketing_costs if entered is not None else ZERO
    statement = next((p for p in posted if p.source == "purchaser_statement" and p.lease_specific), None)
    if statement is not None:
        return ProductPrice(statement.price, statement.gross_value, costs, origin="purchaser_statement")
    if entered is not None and (entered.price is not None or entered.gross_value is not None):
        return entered
    for specific in (True, False):
        found = next((p for p in posted if p.source == "entered" and p.lease_specific is specific), None)
        if found is not None:
            return ProductPrice(found.price, None, costs, origin="accounting" if specific else "accounting_month")
    return replace(entered, origin="entered") if entered is not None and costs else None


def described(price: ProductPrice | None) -> dict[str, str | None] | None:
    """A price as the tax result shows it: the figures and where they come from."""
    if price is None:
        return None
    return {
        "price": None if price.price is None else str(price.price),
        "gross_value": None if price.gross_value is None else str(price.gross_value),
        "marketing_costs": str(price.marketing_costs),
        "origin": price.origin,
    }


def tickets_described(tickets: Sequence[TicketSale]) -> dict[str, str | int] | None:
    """What the purchasers paid on the month's priced run tickets: barrels, value and the price per barrel it
    makes (to the tenth of a cent, for reading; the tax uses the tickets one by one)."""
    priced = [(t.net_bbl, t.price_per_bbl) for t in tickets if t.price_per_bbl is not None]
    barrels = sum((b for b, _ in priced), ZERO)
    if barrels <= 0:
        return None
    value = value_paid(priced)
    return {
        "tickets": len(priced),
        "barrels": str(barrels),
        "value": str(value),
        "price": str((value / barrels).quantize(Decimal("0.001"))),
    }


def month_summary(taxes: Sequence[dict[str, object]]) -> dict[str, object]:
    """A month's taxes by lease: what owners bear (the lines on sold volumes: what the revenue run takes, per
    product), the operator's tax (crude used or lost, lease use, flare), the regulatory fees, and the totals."""
    leases = []
    totals = {"owners_tax": ZERO, "operator_tax": ZERO, "regulatory_fees": ZERO}
    for row in taxes:
        result = row["result"]
        assert isinstance(result, dict)
        owners, operator, fees = ZERO, ZERO, ZERO
        by_product: dict[str, Decimal] = {}
        for line in result["lines"]:
            tax, fee = Decimal(line["tax"]), Decimal(line["regulatory_fee"])
            fees += fee
            if line.get("commodity") == "gas_fee":
                continue
            if line.get("borne_by_owners"):
                owners += tax
                by_product[line["product"]] = by_product.get(line["product"], ZERO) + tax
            else:
                operator += tax
        leases.append(
            {
                "lease_id": row["lease_id"],
                "revision": row["revision"],
                "owners_tax": str(owners),
                "operator_tax": str(operator),
                "regulatory_fees": str(fees),
                "total": str(owners + operator + fees),
                "owners_tax_by_product": {k: str(v) for k, v in sorted(by_product.items())},
            }
        )
        totals = {
            "owners_tax": totals["owners_tax"] + owners,
            "operator_tax": totals["operator_tax"] + operator,
            "regulatory_fees": totals["regulatory_fees"] + fees,
        }
    grand = totals["owners_tax"] + totals["operator_tax"] + totals["regulatory_fees"]
    return {"leases": leases, "totals": {k: str(v) for k, v in totals.items()} | {"total": str(grand)}}
