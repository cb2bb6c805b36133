"""Largest-remainder allocation: exact to the cent, proportional, deterministic."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wellflow_accounting.domain.money import allocate

D = Decimal


@pytest.mark.parametrize(
    ("amount", "weights", "expected"),
    [
        # Three equal owners of $100.00: the odd cent goes to the first key (ties break on the key).
        (
            "100.00",
            {"a": D("0.33333334"), "b": D("0.33333333"), "c": D("0.33333333")},
            {"a": "33.34", "b": "33.33", "c": "33.33"},
        ),
        ("0.01", {"a": D("0.5"), "b": D("0.5")}, {"a": "0.01", "b": "0.00"}),
        ("70000.00", {"owner": D("0.0125"), "rest": D("0.9875")}, {"owner": "875.00", "rest": "69125.00"}),
        # A negative adjustment mirrors a positive one.
        (
            "-100.00",
            {"a": D("0.33333334"), "b": D("0.33333333"), "c": D("0.33333333")},
            {"a": "-33.34", "b": "-33.33", "c": "-33.33"},
        ),
        ("0.00", {"a": D("1")}, {"a": "0.00"}),
        # The largest fractional remainder gets the cent, not the largest owner.
        ("1.00", {"big": D("0.664"), "small": D("0.336")}, {"big": "0.66", "small": "0.34"}),
    ],
)
def test_allocation_table(amount, weights, expected):
    shares = allocate(D(amount), weights)
    assert {k: str(v) for k, v in shares.items()} == expected
    assert sum(shares.values()) == D(amount)


def test_weights_must_be_usable():
    with pytest.raises(ValueError):
        allocate(D("1.00"), {})
    with pytest.raises(ValueError):
        allocate(D("1.00"), {"a": D("0")})
    with pytest.raises(ValueError):
        allocate(D("1.00"), {"a": D("-0.5"), "b": D("1.5")})


decimals = st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=1, max_size=300)


@settings(max_examples=300, deadline=None)
@given(units=decimals, cents_amount=st.integers(min_value=-(10**11), max_value=10**11))
def test_many_owners_add_up_to_the_cent_and_are_within_a_cent_of_their_exact_share(units, cents_amount):
    total_units = sum(units)
    weights = {f"owner-{i:04d}": D(u) / D(total_units) for i, u in enumerate(units)}
    weights = {k: w.quantize(D("0.00000001")) for k, w in weights.items()}
    if sum(weights.values()) <= 0:
        return
    amount = D(cents_amount) / 100
    shares = allocate(amount, weights)
    assert sum(shares.values()) == amount
    weight_total = sum(weights.values())
    for key, share in shares.items():
        exact = amount * weights[key] / weight_total
        assert abs(share - exact) < D("0.01")
    # Deterministic: the same inputs in another order give the same shares.
    assert allocate(amount, dict(reversed(list(weights.items())))) == shares
