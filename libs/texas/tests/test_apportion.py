from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wellflow_texas.apportion import largest_remainder, split_units


def test_three_owners_share_a_dollar_and_the_odd_cent_goes_to_the_largest_remainder():
    assert split_units(100, [1, 1, 1], keys=["a", "b", "c"]) == [34, 33, 33]


def test_equal_remainders_go_to_the_smaller_key_not_the_first_position():
    assert split_units(100, [1, 1, 1], keys=["c", "b", "a"]) == [33, 33, 34]


def test_a_zero_weight_receives_nothing_even_when_units_are_left_over():
    assert split_units(5, [0, 1, 1], keys=[1, 2, 3]) == [0, 3, 2]


def test_rounded_gas_dispositions_add_up_to_the_rounded_total():
    # 10.4 + 10.4 + 10.4 = 31.2 -> 31: one part gives back nothing, floors already sum to 30 -> one gets 11
    assert largest_remainder([Decimal("10.4")] * 3, 31) == [11, 10, 10]


def test_a_total_below_the_floors_takes_from_the_smallest_remainders():
    assert largest_remainder([Decimal("2.0"), Decimal("2.9")], 3) == [1, 2]


def test_a_total_more_than_one_unit_per_part_away_is_refused():
    with pytest.raises(ValueError, match="more than one unit"):
        largest_remainder([1, 1], 5)


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(lambda w: sum(w) > 0),
)
def test_parts_add_up_and_each_is_within_one_unit_of_its_quota(units, weights):
    parts = split_units(units, weights, keys=list(range(len(weights))))
    assert sum(parts) == units
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(units * weight, sum(weights))) < 1
