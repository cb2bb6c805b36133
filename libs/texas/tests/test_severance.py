from decimal import Decimal as D

import pytest

from wellflow_texas.severance import condensate_tax, gas_tax, oil_tax


def test_oil_worked_check():
    tax = oil_tax(D("1000"), D("70000.00"))
    assert (tax.tax, tax.regulatory_fee, tax.market_value) == (D("3220.00"), D("6.25"), D("70000.00"))
    assert not tax.minimum_applied


def test_gas_worked_check():
    tax = gas_tax(D("10000"), D("25000.00"), D("1500.00"))
    assert (tax.market_value, tax.tax, tax.regulatory_fee) == (D("23500.00"), D("1762.50"), D("6.67"))


def test_oil_floor_of_four_point_six_cents_per_barrel():
    tax = oil_tax(D("1000"), D("500.00"))  # $0.50/bbl: 4.6% is $23.00, the floor is $46.00
    assert tax.tax == D("46.00") and tax.minimum_applied


@pytest.mark.parametrize(
    ("barrels", "value", "volume", "tax", "fee"),
    [
        (D("100.01"), D("7000.70"), D("101"), D("322.03"), D("0.63")),  # barrels round up; cents half up
        (D("0"), D("0"), D("0"), D("0.00"), D("0.00")),
        (D("0.2"), D("14.00"), D("1"), D("0.64"), D("0.01")),
    ],
)
def test_oil_rounding(barrels, value, volume, tax, fee):
    result = oil_tax(barrels, value)
    assert (result.volume, result.tax, result.regulatory_fee) == (volume, tax, fee)


def test_enhanced_recovery_is_half_rate_without_floor():
    tax = oil_tax(D("1000"), D("70000.00"), enhanced_recovery=True)
    assert tax.tax == D("1610.00") and tax.rate == D("0.023") and tax.regulatory_fee == D("6.25")


def test_condensate_taxed_as_oil():
    tax = condensate_tax(D("200"), D("14000.00"))
    assert tax.product == "condensate" and tax.tax == D("644.00")


def test_marketing_costs_above_receipts_tax_nothing():
    assert gas_tax(D("10"), D("20.00"), D("50.00")).tax == D("0.00")


@pytest.mark.parametrize("bad", [D("-1"), 1.5])
def test_bad_volume_rejected(bad):
    with pytest.raises((ValueError, TypeError)):
        oil_tax(bad, D("1.00"))
