"""Worked cases of the Texas severance taxes, each figure to the cent (docs/domain.md#severance, from Tax Code
201.052/201.053/201.055/202.052, NRC 81.116/81.117, 34 TAC 3.732 and the Comptroller's report instructions)."""

from datetime import date
from decimal import Decimal as D

import pytest

from wellflow_texas.reliefs import ReliefGrant, relief_effect
from wellflow_texas.severance import (
    NO_RELIEF,
    Relief,
    condensate_tax,
    flare_taxable,
    gas_fee_line,
    gas_market_value,
    gas_regulatory_fee,
    gas_saved,
    gas_tax,
    oil_tax,
    value_paid,
)

JAN = date(2026, 1, 1)


# ---------------------------------------------------------------- crude oil (10-158 / 10-162)


@pytest.mark.parametrize(
    ("case", "sales", "eor", "tax", "fee", "floor"),
    [
        ("1,000 bbl at $70.00", [(D("1000"), D("70.00"))], False, D("3220.00"), D("6.25"), False),
        # value actually paid: 999.2 x $70.00 = $69,944.00; fee on 1,000 whole barrels (rounded up)
        ("999.2 bbl for $69,944.00", [(D("999.2"), D("70.00"))], False, D("3217.42"), D("6.25"), False),
        # 100.4 x $70.00 = $7,028.00 -> $323.29 (not 100 x $70 = $322.00); fee on 101 barrels
        ("100.4 bbl for $7,028.00", [(D("100.4"), D("70.00"))], False, D("323.29"), D("0.63"), False),
        # $0.50/bbl: 4.6% is $23.00, the 4.6-cent floor on 1,000 barrels is $46.00
        ("1,000 bbl at $0.50", [(D("1000"), D("0.50"))], False, D("46.00"), D("6.25"), True),
        # 202.052(b): 2.3% of value, no per-barrel alternative
        ("EOR 1,000 bbl at $0.50", [(D("1000"), D("0.50"))], True, D("11.50"), D("6.25"), False),
        ("EOR 1,000 bbl at $70.00", [(D("1000"), D("70.00"))], True, D("1610.00"), D("6.25"), False),
        # two tickets at two prices: 400.25 x 71.10 + 599.5 x 69.80 = 28,457.775 + 41,845.10 = 70,302.88
        ("two tickets", [(D("400.25"), D("71.10")), (D("599.5"), D("69.80"))], False, D("3233.93"), D("6.25"), False),
        ("a fraction", [(D("0.2"), D("70.00"))], False, D("0.64"), D("0.01"), False),
        ("nothing", [], False, D("0.00"), D("0.00"), False),
    ],
)
def test_crude_oil_worked_cases(case, sales, eor, tax, fee, floor):
    barrels = sum((b for b, _ in sales), D("0"))
    result = oil_tax(barrels, value_paid(sales), enhanced_recovery=eor)
    assert (result.tax, result.regulatory_fee, result.minimum_applied) == (tax, fee, floor), case
    assert result.report == "10-158" and result.measured_volume == barrels


def test_value_paid_keeps_fractional_barrels_and_rounds_once():
    assert value_paid([(D("999.2"), D("70.00"))]) == D("69944.00")
    assert value_paid([(D("0.333"), D("1.00")), (D("0.333"), D("1.00"))]) == D("0.67")  # 0.666 -> 0.67 once


def test_crude_special_is_taxed_with_the_fee_on_the_special_report():
    # 12.4 bbl used on the lease, the month's price $70.00: $868.00 -> $39.93; fee on 13 barrels
    special = oil_tax(D("12.4"), D("868.00"), special=True)
    assert (special.tax, special.regulatory_fee, special.report) == (D("39.93"), D("0.08"), "10-165")


# ---------------------------------------------------------------- condensate and gas (10-159 / 10-163)


def test_condensate_is_gas_chapter_4_6_percent_without_floor_or_fee():
    result = condensate_tax(D("1000"), D("500.00"))
    assert (result.tax, result.regulatory_fee, result.minimum_applied) == (D("23.00"), D("0.00"), False)
    assert result.report == "10-159"
    assert condensate_tax(D("1000"), D("70000.00")).tax == D("3220.00")


def test_gas_worked_check():
    result = gas_tax(D("10000"), D("25000.00"), D("1500.00"))
    assert (result.market_value, result.tax, result.regulatory_fee) == (D("23500.00"), D("1762.50"), D("6.67"))


def test_negative_market_value_taxes_nothing_but_the_fee_is_due():
    assert gas_market_value(D("20.00"), D("50.00")) == D("0.00")
    result = gas_tax(D("1000"), D("20.00"), D("50.00"))
    assert (result.tax, result.regulatory_fee) == (D("0.00"), D("0.67"))


def test_lease_use_is_taxable_at_market_value():
    # 300 MCF of lease fuel at the month's $2.50: $750.00 -> $56.25; its fee is in the lease's fee line
    result = gas_tax(D("300"), D("750.00"), commodity="lease_use", fee_mcf=D("0"))
    assert (result.tax, result.regulatory_fee, result.report) == (D("56.25"), D("0.00"), "10-159")


@pytest.mark.parametrize(
    ("lease_type", "authority", "taxable"),
    [
        ("gas", "AR", True),  # gas-well gas flared: taxable
        ("gas", None, True),
        ("oil", "AR", False),  # casinghead gas lawfully flared: 201.053(2)
        ("oil", "AE", False),
        ("oil", None, True),  # no authority: not shown to be lawful
    ],
)
def test_flare_on_oil_and_gas_leases(lease_type, authority, taxable):
    assert flare_taxable(lease_type, authority) is taxable


def test_gas_fee_on_all_gas_produced_and_saved_mcf_rounded_up():
    dispositions = [("02", D("9000")), ("01", D("300.2")), ("05", D("500")), ("10", D("150")), ("09", D("40"))]
    saved = gas_saved(dispositions)
    assert saved == D("9800.2")  # flared and shrinkage were not saved
    assert gas_regulatory_fee(saved) == D("6.54")  # 9,801 x $0.000667 = $6.537267
    line = gas_fee_line(saved)
    assert (line.tax, line.regulatory_fee, line.volume, line.commodity) == (D("0.00"), D("6.54"), D("9801"), "gas_fee")


# ---------------------------------------------------------------- reliefs


def _grant(code, **inputs):
    return ReliefGrant(code, JAN, inputs={k: D(v) for k, v in inputs.items()})


def test_low_producing_oil_credit_comes_off_the_tax_otherwise_due_floor_included():
    half = relief_effect(_grant("low_producing_oil", certified_price="24.00"), "oil")
    assert oil_tax(D("1000"), D("70000.00"), relief=half).tax == D("1610.00")
    floor = oil_tax(D("1000"), D("500.00"), relief=half)
    assert (floor.tax, floor.credit, floor.regulatory_fee) == (D("23.00"), D("23.00"), D("6.25"))


def test_low_producing_oil_credit_does_not_reach_condensate():
    assert relief_effect(_grant("low_producing_oil", certified_price="20.00"), "condensate") is None


def test_inactive_well_exempts_the_tax_never_the_fees():
    exempt = relief_effect(_grant("inactive_well"), "oil")
    oil = oil_tax(D("1000"), D("70000.00"), relief=exempt)
    assert (oil.tax, oil.credit, oil.regulatory_fee) == (D("0.00"), D("3220.00"), D("6.25"))
    gas = gas_tax(D("10000"), D("25000.00"), D("1500.00"), relief=relief_effect(_grant("inactive_well"), "gas"))
    assert (gas.tax, gas.regulatory_fee) == (D("0.00"), D("6.67"))
    assert condensate_tax(D("10"), D("700.00"), relief=relief_effect(_grant("inactive_well"), "condensate")).tax == 0


def test_enhanced_recovery_grant_has_no_floor():
    eor = relief_effect(_grant("enhanced_recovery"), "oil")
    assert oil_tax(D("1000"), D("500.00"), relief=eor).tax == D("11.50")


def test_high_cost_gas_reduced_rate():
    grant = _grant("high_cost_gas", well_cost="1000000", median_cost="1000000")
    result = gas_tax(D("10000"), D("25000.00"), D("1500.00"), relief=relief_effect(grant, "gas"))
    assert (result.rate, result.tax, result.regulatory_fee) == (D("0.037500"), D("881.25"), D("6.67"))


def test_low_producing_gas_credit():
    grant = _grant("low_producing_gas", certified_price="2.75")
    result = gas_tax(D("10000"), D("25000.00"), D("1500.00"), relief=relief_effect(grant, "gas"))
    assert (result.tax, result.credit) == (D("881.25"), D("881.25"))


def test_a_relief_never_changes_the_cleanup_fee():
    for relief in (NO_RELIEF, Relief(exempt=True), Relief(credit_share=D("1")), Relief(rate=D("0"))):
        assert oil_tax(D("999.2"), D("69944.00"), relief=relief).regulatory_fee == D("6.25")


@pytest.mark.parametrize("bad", [D("-1"), 1.5])
def test_bad_volume_rejected(bad):
    with pytest.raises((ValueError, TypeError)):
        oil_tax(bad, D("1.00"))
