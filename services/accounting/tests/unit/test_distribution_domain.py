"""Valuation, owner shares, adjustments and suspense decisions, on docs/domain.md's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wellflow_accounting.domain.decks import DeckLine, InterestType
from wellflow_accounting.domain.distribution import (
    Product,
    PurchaserStatement,
    Sale,
    SuspenseRules,
    adjustments,
    distribute,
    explain_correction,
    settle,
    value_sale,
)

D = Decimal
LEASE = UUID("01938a10-0000-7000-8000-0000000000aa")
W, R = InterestType.WORKING_INTEREST, InterestType.ROYALTY


def test_domain_owner_example_decimal_0_0125_on_70000_of_oil():
    # 1,000 bbl at $70.00: compliance's tax 4.6% = $3,220.00 (docs/domain.md severance worked check).
    sale = value_sale(LEASE, Product.OIL, volume=D("1000"), price=D("70.00"), compliance_tax=D("3220.00"))
    assert (sale.gross_value, sale.severance_tax, sale.tax_source) == (D("70000.00"), D("3220.00"), "compliance")
    owner, rest = uuid4(), uuid4()
    shares = {
        s.partner_id: s for s in distribute(sale, [DeckLine(owner, R, D("0.0125")), DeckLine(rest, W, D("0.9875"))])
    }
    assert (shares[owner].gross, shares[owner].tax, shares[owner].net) == (D("875.00"), D("40.25"), D("834.75"))


def test_gas_sale_from_the_purchaser_statement_carries_compliances_tax():
    # docs/domain.md: 10,000 MCF at $2.50 with $1,500 marketing costs -> market value $23,500, tax $1,762.50.
    statement = PurchaserStatement(D("10000"), D("2.50"), D("25000.00"), D("1500.00"))
    sale = value_sale(
        LEASE, Product.GAS, volume=D("9990"), price=None, statement=statement, compliance_tax=D("1762.50")
    )
    assert (sale.volume, sale.severance_tax, sale.deductions) == (D("10000"), D("1762.50"), D("1500.00"))
    assert sale.distributable == D("21737.50")
    assert sale.price_source == "purchaser_statement"


def test_without_compliances_figure_the_tax_is_pending_never_computed_here():
    # An enhanced-recovery lease would be $1,610.00, not the $3,220.00 a local computation without reliefs gives.
    sale = value_sale(LEASE, Product.OIL, volume=D("1000"), price=D("70"))
    assert (sale.severance_tax, sale.tax_source) == (D("0.00"), "pending")


@pytest.mark.parametrize(
    ("case", "tax"),
    [
        ("999.2 bbl sold for $69,944.00", D("3217.42")),
        ("100.4 bbl sold for $7,028.00", D("323.29")),
        ("EOR 1,000 bbl at $0.50", D("11.50")),
        ("inactive well", D("0.00")),
    ],
)
def test_owners_carry_exactly_compliances_tax_by_largest_remainder(case, tax):
    sale = value_sale(LEASE, Product.OIL, volume=D("999.2"), price=D("70.00"), compliance_tax=tax)
    deck = [DeckLine(uuid4(), R, D("0.12500000")), DeckLine(uuid4(), R, D("0.03333333"))]
    deck.append(DeckLine(uuid4(), W, D("1") - sum(line.decimal for line in deck)))
    shares = distribute(sale, deck)
    assert sum(s.tax for s in shares) == tax, case
    assert all(abs(s.tax - tax * s.decimal) < D("0.01") for s in shares)


def test_no_price_or_nothing_sold_gives_no_sale():
    assert value_sale(LEASE, Product.OIL, volume=D("100"), price=None) is None
    assert value_sale(LEASE, Product.OIL, volume=D("0"), price=D("70")) is None


@settings(max_examples=150, deadline=None)
@given(
    owners=st.integers(min_value=1, max_value=400),
    seed=st.randoms(use_true_random=False),
    barrels=st.integers(min_value=1, max_value=200_000),
    price_cents=st.integers(min_value=1, max_value=15_000),
)
def test_owners_cents_add_up_exactly_to_the_distributable_total(owners, seed, barrels, price_cents):
    raw = [seed.randint(1, 1_000_000) for _ in range(owners)]
    total = sum(raw)
    decimals = [(D(r) / D(total)).quantize(D("0.00000001")) for r in raw]
    decimals[0] += D("1") - sum(decimals)  # the operator absorbs the rounding so the deck sums to one
    if decimals[0] <= 0:
        return
    deck = [DeckLine(UUID(int=i + 1), W if i % 3 else R, d) for i, d in enumerate(decimals)]
    sale = value_sale(LEASE, Product.OIL, volume=D(barrels), price=D(price_cents) / 100)
    shares = distribute(sale, deck)
    assert sum(s.gross for s in shares) == sale.gross_value
    assert sum(s.tax for s in shares) == sale.severance_tax
    assert sum(s.net for s in shares) == sale.distributable
    assert distribute(sale, list(reversed(deck))) == shares  # deterministic whatever the order


def test_adjustments_are_the_difference_per_owner_and_add_up_to_the_change():
    a, b = uuid4(), uuid4()
    deck = [DeckLine(a, R, D("0.125")), DeckLine(b, W, D("0.875"))]
    old = value_sale(LEASE, Product.OIL, volume=D("1000"), price=D("70"))
    new = value_sale(LEASE, Product.OIL, volume=D("1100"), price=D("70"))
    changes = adjustments(distribute(old, deck), distribute(new, deck))
    assert sum(c.net for c in changes) == new.distributable - old.distributable
    assert {c.partner_id: c.gross for c in changes} == {a: D("875.00"), b: D("6125.00")}
    assert adjustments(distribute(old, deck), distribute(old, deck)) == []
    text = explain_correction("Ranch A", date(2026, 3, 1), Product.OIL, old, new, production_revisions=(2, 3))
    assert "03/2026" in text and "1000 -> 1100" in text and "revision 2 -> 3" in text


RULES = SuspenseRules(D("100.00"), D("10.00"), 12)


def test_the_suspense_defaults_are_the_statutes_figures():
    # Tex. Nat. Res. Code 91.402(f): held until $100; more than $10 paid at least every 12 months.
    assert SuspenseRules() == RULES


OWNER = UUID(int=7)


@pytest.mark.parametrize(
    ("earned", "released", "prior", "month", "paid", "delta"),
    [
        ("150.00", "0", "0", 3, "150.00", "0"),  # above the minimum: paid
        ("40.00", "0", "0", 3, "0", "40.00"),  # below: held
        ("40.00", "0", "70.00", 3, "110.00", "-70.00"),  # accumulated past $100: released with this month
        ("5.00", "0", "20.00", 12, "25.00", "-20.00"),  # yearly release above $10
        ("5.00", "0", "3.00", 12, "0", "5.00"),  # below $10 even in the release month: held
        ("4.00", "0", "6.00", 12, "0", "4.00"),  # exactly $10: 91.402(f) pays "more than $10" yearly; held
        ("4.01", "0", "6.00", 12, "10.01", "-6.00"),  # a cent more: paid in the release month
        ("60.00", "0", "39.99", 3, "0", "60.00"),  # $99.99: under the statute's $100, held
        ("30.00", "80.00", "0", 3, "110.00", "0"),  # a lifted title hold counts toward the minimum
        ("-20.00", "0", "0", 3, "0", "-20.00"),  # a negative correction is carried, never billed
    ],
)
def test_suspense_decisions(earned, released, prior, month, paid, delta):
    result = settle(
        OWNER,
        earned=D(earned),
        released_title=D(released),
        prior_minimum=D(prior),
        month=date(2026, month, 1),
        rules=RULES,
    )
    assert (result.paid, result.minimum_delta) == (D(paid), D(delta))
    assert result.paid == D(earned) + D(released) + D(prior) - (D(prior) + result.minimum_delta)


def test_sale_distributable_is_gross_less_tax_less_deductions():
    sale = Sale(LEASE, Product.GAS, D("1"), D("1"), D("100.00"), D("7.50"), D("2.00"), "computed", "entered")
    assert sale.distributable == D("90.50")
