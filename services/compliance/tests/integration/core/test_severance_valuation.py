"""Prices entered once: the severance tax is valued with accounting's prices (``accounting.price_recorded.v1``)
where the sale carries no price of its own, with the price used and whose it is on the result; a purchaser's
statement comes first, a price entered on the severance page before accounting's posted prices, and gas marketing
costs entered alone are deducted from accounting's gas value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from wellflow_contracts.events.accounting import PriceRecorded
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.testing import until

JULY = date(2026, 7, 1)


def _price(compliance, product: str, price: str, *, lease=None, at=None, **statement) -> PriceRecorded:
    return PriceRecorded(
        tenant_id=compliance.org_a,
        price_id=uuid7(),
        month=JULY,
        product=product,
        lease_id=lease,
        price=Decimal(price),
        source="purchaser_statement" if statement else "entered",
        recorded_by="jo.books",
        recorded_at=at or datetime(2026, 8, 2, 9, tzinfo=UTC),
        **{k: Decimal(v) for k, v in statement.items()},
    )


async def _tax(compliance, lease, predicate):
    async def computed():
        response = await compliance.get(f"/api/v1/severance-tax/leases/{lease}/2026-07")
        return response.status_code == 200 and predicate(response.json()) and response.json()

    return await until(computed, what="the tax valued")


async def test_accountings_month_price_values_the_oil_the_severance_page_asks_nothing(compliance):
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="1000", gas="0", oil_dispositions=[("00", "1000")])
    )
    await compliance.wait_line("2026-07", lease)
    assert (await compliance.get(f"/api/v1/severance-tax/leases/{lease}/2026-07")).status_code == 404  # no price

    await compliance.publish(_price(compliance, "oil", "70.00"))  # posted for every lease of the month
    tax = await _tax(compliance, lease, lambda t: t["lines"])
    [oil] = tax["lines"]
    assert (oil["gross_value"], oil["tax"], oil["value_source"]) == ("70000.00", "3220.00", "accounting_month_price")
    assert tax["prices"]["liquid"] == {
        "price": "70.000000",
        "gross_value": None,
        "marketing_costs": "0",
        "origin": "accounting_month",
    }

    # an older price arriving late changes nothing; the lease's own price beats the month's
    await compliance.publish(_price(compliance, "oil", "10.00", at=datetime(2026, 8, 1, tzinfo=UTC)))
    await compliance.publish(_price(compliance, "oil", "71.00", lease=lease))
    tax = await _tax(compliance, lease, lambda t: t["lines"][0]["value_source"] == "accounting_price")
    assert tax["lines"][0]["tax"] == "3266.00" and tax["prices"]["liquid"]["origin"] == "accounting"

    # a price typed on the severance page for the lease comes before accounting's posted prices
    response = await compliance.put(
        f"/api/v1/severance-tax/leases/{lease}/2026-07/prices", {"liquid": {"price": "72.00"}}
    )
    assert response.status_code == 200 and response.json()["lines"][0]["value_source"] == "entered_price"
    events = await compliance.outbox("compliance.severance_tax_computed.v1")
    assert [e["total_tax"] for e in events] == ["3220.00", "3266.00", "3312.00"]  # the late 10.00 changed nothing

    summary = (await compliance.get("/api/v1/severance-tax/months/2026-07/summary")).json()
    [line] = summary["leases"]
    assert (line["name"], line["owners_tax"], line["operator_tax"], line["regulatory_fees"]) == (
        "Ranch A",
        "3312.00",
        "0",
        "6.25",
    )
    assert line["owners_tax_by_product"] == {"oil": "3312.00"}
    assert summary["totals"] == {
        "owners_tax": "3312.00",
        "operator_tax": "0",
        "regulatory_fees": "6.25",
        "total": "3318.25",
    }
    other = await compliance.get("/api/v1/severance-tax/months/2026-07/summary", org=compliance.org_b)
    assert other.status_code == 404, other.text


async def test_gas_from_a_purchaser_statement_with_marketing_costs_entered_alone(compliance):
    lease = await compliance.lease(lease_type="gas", number="203456")
    await compliance.publish(
        compliance.lease_month(
            lease, JULY, lease_type="gas", liquid="0", gas="10000", gas_dispositions=[("02", "10000", None)]
        )
    )
    await compliance.wait_line("2026-07", lease)
    await compliance.publish(_price(compliance, "gas", "2.50", lease=lease))
    await _tax(compliance, lease, lambda t: t["lines"] and t["lines"][0]["tax"] == "1875.00")

    # the marketing costs are not a price: entered alone, deducted from accounting's gas value (worked check)
    response = await compliance.put(
        f"/api/v1/severance-tax/leases/{lease}/2026-07/prices", {"gas": {"marketing_costs": "1500.00"}}
    )
    assert response.status_code == 200, response.text
    gas = response.json()["lines"][0]
    assert (gas["gross_value"], gas["market_value"], gas["tax"]) == ("25000.00", "23500.00", "1762.50")
    assert gas["value_source"] == "accounting_price"

    # the purchaser's statement (what was paid) comes first, even before a price typed here
    statement = _price(compliance, "gas", "2.40", lease=lease, volume="10000", gross_value="24000.00", deductions="0")
    await compliance.publish(statement)
    tax = await _tax(compliance, lease, lambda t: t["lines"][0]["value_source"] == "purchaser_statement_gross_value")
    assert (tax["lines"][0]["market_value"], tax["lines"][0]["tax"]) == ("22500.00", "1687.50")
    assert tax["prices"]["gas"]["origin"] == "purchaser_statement"


async def test_bad_prices_are_refused(compliance):
    lease = await compliance.lease()
    path = f"/api/v1/severance-tax/leases/{lease}/2026-07/prices"
    for body in (
        {"liquid": {}},
        {"gas": {}},
        {"liquid": {"marketing_costs": "5"}},
        {"gas": {"price": "1", "gross_value": "2"}},
    ):
        response = await compliance.put(path, body)
        assert response.status_code == 422, (body, response.text)
