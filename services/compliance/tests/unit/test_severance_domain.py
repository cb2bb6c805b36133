"""Severance tax of a lease-month from its Form PR line and the prices entered (the worked checks of
docs/domain.md#worked-checks)."""

from datetime import date
from decimal import Decimal as D

from wellflow_compliance.domain.severance import ProductPrice, compute_lease_tax, taxable_volumes
from wellflow_texas.reliefs import ReliefGrant

JULY = date(2026, 7, 1)


def one(lines, product):
    [line] = [line for line in lines if line.product == product]
    return line


def test_oil_worked_check_1000_bbl_at_70_dollars():
    lines = compute_lease_tax(
        lease_type="oil",
        month=JULY,
        liquid_sold=D("1000"),
        gas_sold=D("0"),
        liquid_price=ProductPrice(price=D("70.00")),
        gas_price=None,
    )
    oil = one(lines, "oil")
    assert (oil.tax.tax, oil.tax.regulatory_fee, oil.tax.market_value) == (D("3220.00"), D("6.25"), D("70000.00"))


def test_gas_worked_check_10000_mcf_at_2_50_less_1500_marketing():
    lines = compute_lease_tax(
        lease_type="gas",
        month=JULY,
        liquid_sold=D("0"),
        gas_sold=D("10000"),
        liquid_price=None,
        gas_price=ProductPrice(price=D("2.50"), marketing_costs=D("1500.00")),
    )
    gas = one(lines, "gas")
    assert (gas.gross_value, gas.tax.market_value, gas.tax.tax, gas.tax.regulatory_fee) == (
        D("25000.00"),
        D("23500.00"),
        D("1762.50"),
        D("6.67"),
    )


def test_cheap_oil_pays_the_four_point_six_cent_floor():
    lines = compute_lease_tax(
        lease_type="oil",
        month=JULY,
        liquid_sold=D("1000"),
        gas_sold=D("0"),
        liquid_price=ProductPrice(price=D("0.50")),
        gas_price=None,
    )
    oil = one(lines, "oil")
    assert oil.tax.tax == D("46.00") and oil.tax.minimum_applied


def test_enhanced_recovery_lease_pays_2_3_percent_while_granted():
    grant = ReliefGrant("enhanced_recovery", date(2026, 1, 1), date(2026, 12, 1))
    args = {
        "lease_type": "oil",
        "liquid_sold": D("1000"),
        "gas_sold": D("0"),
        "gas_price": None,
        "liquid_price": ProductPrice(price=D("70.00")),
        "grants": [grant],
    }
    oil = one(compute_lease_tax(month=JULY, **args), "oil")
    assert (oil.tax.rate, oil.tax.tax, oil.tax.regulatory_fee, oil.relief) == (
        D("0.023"),
        D("1610.00"),
        D("6.25"),
        "enhanced_recovery",
    )
    later = one(compute_lease_tax(month=date(2027, 1, 1), **args), "oil")
    assert later.tax.tax == D("3220.00") and later.relief is None


def test_condensate_at_4_6_percent_and_rounding_of_value_to_cents():
    lines = compute_lease_tax(
        lease_type="gas",
        month=JULY,
        liquid_sold=D("33"),
        gas_sold=D("0"),
        liquid_price=ProductPrice(price=D("68.333")),
        gas_price=None,
    )
    condensate = one(lines, "condensate")
    assert condensate.gross_value == D("2254.99")  # 33 x 68.333 = 2254.989
    assert condensate.tax.tax == D("103.73")  # 4.6% of 2254.99 = 103.72954
    assert condensate.tax.regulatory_fee == D("0.21")  # 33 x 0.00625 = 0.20625


def test_gross_value_entered_wins_over_price():
    lines = compute_lease_tax(
        lease_type="oil",
        month=JULY,
        liquid_sold=D("10"),
        gas_sold=D("0"),
        liquid_price=ProductPrice(gross_value=D("700.00")),
        gas_price=None,
    )
    assert one(lines, "oil").tax.market_value == D("700.00")


def test_taxable_volumes_are_sales_only():
    line = {
        "liquid_dispositions": [{"code": "00", "volume": 900}, {"code": "05", "volume": 6}],
        "gas_dispositions": [
            {"code": "02", "volume": 1500},
            {"code": "01", "volume": 300},
            {"code": "10", "volume": 200},
        ],
    }
    assert taxable_volumes(line) == (D("900"), D("1500"))


def test_a_product_without_a_price_is_not_taxed():
    assert (
        compute_lease_tax(
            lease_type="oil", month=JULY, liquid_sold=D("10"), gas_sold=D("10"), liquid_price=None, gas_price=None
        )
        == []
    )
