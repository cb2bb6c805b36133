"""Which price values a product (a purchaser's statement, then a price entered on the severance page, then
accounting's lease and month prices), the run tickets' price for reading, and a month's tax split as the revenue
run takes it."""

from decimal import Decimal as D

from wellflow_compliance.domain.severance import ProductPrice, TicketSale
from wellflow_compliance.domain.valuation import PostedPrice, month_summary, price_for, tickets_described

MONTH = PostedPrice(D("70.00"), "entered", lease_specific=False)
LEASE = PostedPrice(D("71.00"), "entered", lease_specific=True)
STATEMENT = PostedPrice(D("2.40"), "purchaser_statement", lease_specific=True, gross_value=D("24000.00"))


def test_the_statement_comes_first_then_what_was_typed_then_the_lease_then_the_month() -> None:
    typed = ProductPrice(D("72.00"))
    assert price_for(typed, [MONTH, LEASE, STATEMENT]) == ProductPrice(
        D("2.40"), D("24000.00"), D("0"), origin="purchaser_statement"
    )
    assert price_for(typed, [MONTH, LEASE]) is typed
    assert price_for(None, [MONTH, LEASE]) == ProductPrice(D("71.00"), None, D("0"), origin="accounting")
    assert price_for(None, [MONTH]) == ProductPrice(D("70.00"), None, D("0"), origin="accounting_month")
    assert price_for(None, []) is None


def test_marketing_costs_typed_alone_go_with_accountings_gas_price() -> None:
    costs = ProductPrice(marketing_costs=D("1500.00"))
    assert price_for(costs, [MONTH]) == ProductPrice(D("70.00"), None, D("1500.00"), origin="accounting_month")
    assert price_for(costs, []) == costs  # no price at all: the costs alone value nothing (a warning later)


def test_the_tickets_price_is_what_was_paid_per_barrel() -> None:
    tickets = [TicketSale(D("100.4"), D("70.00")), TicketSale(D("50"), D("71.00")), TicketSale(D("10"))]
    assert tickets_described(tickets) == {"tickets": 2, "barrels": "150.4", "value": "10578.00", "price": "70.332"}
    assert tickets_described([TicketSale(D("10"))]) is None


def test_a_months_tax_splits_into_owners_operator_and_fees() -> None:
    lines = [
        {"product": "oil", "commodity": "crude", "tax": "3409.80", "regulatory_fee": "6.49", "borne_by_owners": True},
        {"product": "gas", "commodity": "gas", "tax": "473.58", "regulatory_fee": "0.00", "borne_by_owners": True},
        {
            "product": "gas",
            "commodity": "lease_use",
            "tax": "12.29",
            "regulatory_fee": "0.00",
            "borne_by_owners": False,
        },
        {"product": "gas", "commodity": "gas_fee", "tax": "0.00", "regulatory_fee": "1.65", "borne_by_owners": False},
    ]
    summary = month_summary([{"lease_id": "a", "revision": 3, "result": {"lines": lines}}])
    [lease] = summary["leases"]  # type: ignore[misc]
    assert (lease["owners_tax"], lease["operator_tax"], lease["regulatory_fees"], lease["total"]) == (
        "3883.38",
        "12.29",
        "8.14",
        "3903.81",
    )
    assert lease["owners_tax_by_product"] == {"gas": "473.58", "oil": "3409.80"}
    assert summary["totals"] == {
        "owners_tax": "3883.38",
        "operator_tax": "12.29",
        "regulatory_fees": "8.14",
        "total": "3903.81",
    }
