"""Severance tax of a lease-month from its sales (run tickets with the purchaser's price), its Form PR line and
the prices entered: the worked checks of docs/domain.md#severance-tax, each figure to the cent."""

from datetime import date
from decimal import Decimal as D

import pytest

from wellflow_compliance.domain.severance import ProductPrice, TicketSale, compute_lease_tax
from wellflow_texas.reliefs import ReliefGrant

JULY = date(2026, 7, 1)


def form_pr(liquid=(), gas=()):
    """A stored Form PR line: liquid [(code, bbl)], gas [(code, mcf, authority)]."""
    return {
        "liquid_dispositions": [{"code": c, "volume": v} for c, v in liquid],
        "gas_dispositions": [{"code": c, "volume": v, "authority": a} for c, v, a in gas],
    }


def lines_of(result, commodity):
    return [line for line in result.lines if line.commodity == commodity]


def one(result, commodity):
    [line] = lines_of(result, commodity)
    return line


@pytest.mark.parametrize(
    ("case", "tickets", "entered", "tax", "fee", "source"),
    [
        ("1,000 bbl at $70.00", [TicketSale(D("1000"), D("70.00"))], None, D("3220.00"), D("6.25"), "run_tickets"),
        (
            "999.2 bbl for $69,944.00",
            [TicketSale(D("999.2"), D("70.00"))],
            None,
            D("3217.42"),
            D("6.25"),
            "run_tickets",
        ),
        ("100.4 bbl for $7,028.00", [TicketSale(D("100.4"), D("70.00"))], None, D("323.29"), D("0.63"), "run_tickets"),
        ("1,000 bbl at $0.50 (floor)", [TicketSale(D("1000"), D("0.50"))], None, D("46.00"), D("6.25"), "run_tickets"),
        # tickets without a price: the entered price is the fallback, and the line says so
        (
            "entered price",
            [TicketSale(D("100.4"))],
            ProductPrice(price=D("70.00")),
            D("323.29"),
            D("0.63"),
            "entered_price",
        ),
        (
            "mixed",
            [TicketSale(D("50.2"), D("70.00")), TicketSale(D("50.2"))],
            ProductPrice(price=D("70.00")),
            D("323.29"),
            D("0.63"),
            "run_tickets+entered_price",
        ),
        (
            "gross value entered",
            [TicketSale(D("100.4"))],
            ProductPrice(gross_value=D("7028.00")),
            D("323.29"),
            D("0.63"),
            "entered_gross_value",
        ),
    ],
)
def test_crude_oil_from_the_sales(case, tickets, entered, tax, fee, source):
    result = compute_lease_tax(
        lease_type="oil", month=JULY, line=form_pr([("00", 100)]), tickets=tickets, liquid_price=entered
    )
    crude = one(result, "crude")
    assert (crude.tax.tax, crude.tax.regulatory_fee, crude.value_source) == (tax, fee, source), case
    assert crude.tax.report == "10-158" and crude.borne_by_owners


def test_without_tickets_the_form_pr_sold_barrels_at_the_entered_price():
    result = compute_lease_tax(
        lease_type="oil", month=JULY, line=form_pr([("01", 1000)]), liquid_price=ProductPrice(price=D("70.00"))
    )
    assert one(result, "crude").tax.tax == D("3220.00")


def test_sold_oil_without_any_price_is_a_warning_not_a_guess():
    result = compute_lease_tax(lease_type="oil", month=JULY, line=None, tickets=[TicketSale(D("10"))])
    assert result.lines == [] and "without a price" in result.warnings[0]


def test_enhanced_recovery_has_no_floor():
    grant = ReliefGrant("enhanced_recovery", date(2026, 1, 1))
    result = compute_lease_tax(
        lease_type="oil", month=JULY, line=None, tickets=[TicketSale(D("1000"), D("0.50"))], grants=[grant]
    )
    crude = one(result, "crude")
    assert (crude.tax.tax, crude.tax.regulatory_fee, crude.relief) == (D("11.50"), D("6.25"), "enhanced_recovery")


def test_crude_used_lost_and_unaccounted_for_go_on_the_special_report():
    line = form_pr([("00", 1000), ("03", 5), ("05", 2), ("07", 3), ("04", 10), ("06", 4), ("08", 1)])
    result = compute_lease_tax(lease_type="oil", month=JULY, line=line, tickets=[TicketSale(D("1000"), D("70.00"))])
    special = one(result, "crude_special")
    # 03 + 05 + 07 = 10 bbl at the month's $70.00: $700.00 -> $32.20, fee 10 x $0.00625 = $0.06
    assert (special.tax.market_value, special.tax.tax, special.tax.regulatory_fee) == (
        D("700.00"),
        D("32.20"),
        D("0.06"),
    )
    assert special.tax.report == "10-165" and not special.borne_by_owners and special.value_source == "month_price"


def test_condensate_is_on_the_gas_report_without_floor_or_fee():
    result = compute_lease_tax(
        lease_type="gas", month=JULY, line=form_pr([("00", 1000)]), tickets=[TicketSale(D("1000"), D("0.50"))]
    )
    condensate = one(result, "condensate")
    assert (condensate.tax.tax, condensate.tax.regulatory_fee, condensate.tax.report) == (
        D("23.00"),
        D("0.00"),
        "10-159",
    )
    assert not lines_of(result, "crude")


def test_gas_worked_check_lease_use_flare_and_the_fee_on_gas_saved():
    line = form_pr(
        gas=[("02", 10000, None), ("01", 300, None), ("10", 150, "AR"), ("05", 500, None), ("06", 200, None)]
    )
    result = compute_lease_tax(
        lease_type="gas",
        month=JULY,
        line=line,
        gas_price=ProductPrice(price=D("2.50"), marketing_costs=D("1500.00")),
    )
    gas = one(result, "gas")
    assert (gas.gross_value, gas.tax.market_value, gas.tax.tax, gas.tax.regulatory_fee) == (
        D("25000.00"),
        D("23500.00"),
        D("1762.50"),
        D("0.00"),
    )
    assert one(result, "lease_use").tax.tax == D("56.25")  # 300 x $2.50 = $750.00 x 7.5%
    assert one(result, "flare").tax.tax == D("28.13")  # gas-well gas flared: 150 x $2.50 = $375.00 x 7.5%
    fee = one(result, "gas_fee")  # saved: 10,000 + 300 + 500 + 200 = 11,000 MCF (flare not saved)
    assert (fee.tax.volume, fee.tax.regulatory_fee, fee.tax.tax) == (D("11000"), D("7.34"), D("0.00"))


def test_worked_check_10000_mcf_fee_is_6_67():
    result = compute_lease_tax(
        lease_type="gas",
        month=JULY,
        line=form_pr(gas=[("02", 10000, None)]),
        gas_price=ProductPrice(price=D("2.50"), marketing_costs=D("1500.00")),
    )
    assert one(result, "gas").tax.tax == D("1762.50") and one(result, "gas_fee").tax.regulatory_fee == D("6.67")


def test_casinghead_gas_lawfully_flared_is_exempt_unlawful_is_taxed():
    price = ProductPrice(price=D("2.00"))
    lawful = compute_lease_tax(
        lease_type="oil", month=JULY, line=form_pr(gas=[("02", 100, None), ("10", 50, "AR")]), gas_price=price
    )
    assert not lines_of(lawful, "flare")
    unlawful = compute_lease_tax(
        lease_type="oil", month=JULY, line=form_pr(gas=[("02", 100, None), ("10", 50, None)]), gas_price=price
    )
    assert one(unlawful, "flare").tax.tax == D("7.50") and "without an authority" in unlawful.warnings[0]


def test_negative_market_value_taxes_nothing_and_the_fee_is_still_due():
    result = compute_lease_tax(
        lease_type="gas",
        month=JULY,
        line=form_pr(gas=[("02", 1000, None)]),
        gas_price=ProductPrice(gross_value=D("20.00"), marketing_costs=D("50.00")),
    )
    assert one(result, "gas").tax.tax == D("0.00") and one(result, "gas_fee").tax.regulatory_fee == D("0.67")


def test_inactive_well_exempts_every_tax_never_the_fees():
    grant = ReliefGrant("inactive_well", date(2026, 1, 1))
    result = compute_lease_tax(
        lease_type="gas",
        month=JULY,
        line=form_pr([("00", 100)], gas=[("02", 10000, None), ("01", 100, None)]),
        tickets=[TicketSale(D("100"), D("60.00"))],
        gas_price=ProductPrice(price=D("2.50")),
        grants=[grant],
    )
    assert all(line.tax.tax == 0 for line in result.lines)
    assert one(result, "gas_fee").tax.regulatory_fee == D("6.74")  # 10,100 MCF saved


def test_low_producing_oil_credit_is_oil_only():
    grant = ReliefGrant("low_producing_oil", date(2026, 1, 1), inputs={"certified_price": D("24.00")})
    oil = compute_lease_tax(
        lease_type="oil", month=JULY, line=None, tickets=[TicketSale(D("1000"), D("70.00"))], grants=[grant]
    )
    assert one(oil, "crude").tax.tax == D("1610.00")
    condensate = compute_lease_tax(
        lease_type="gas", month=JULY, line=None, tickets=[TicketSale(D("1000"), D("70.00"))], grants=[grant]
    )
    assert one(condensate, "condensate").tax.tax == D("3220.00") and one(condensate, "condensate").relief is None
