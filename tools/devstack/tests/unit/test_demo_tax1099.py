"""The demo's last year of owner payments, worked by hand from its decks and posted prices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wellflow_devstack.demo_office import REVENUE_DECKS
from wellflow_devstack.demo_tax1099 import last_year_payments

LAST_MONTH = date(2026, 11, 1)


def test_a_sale_is_paid_two_months_later_at_each_owners_decimal_and_the_operator_pays_itself_nothing():
    # 1,000 bbl of lease A oil sold in November 2024, paid January 31, 2025. Posted price 24 months back from
    # November 2026: 71.40 - (24 % 5) x 1.35 = 66.00, so the sale is worth $66,000.00.
    entries = last_year_payments(REVENUE_DECKS, {"A": {date(2024, 11, 1): Decimal("1000")}}, LAST_MONTH)
    paid = {(e["owner"], e["kind"]): e["gross"] for e in entries}
    assert {e["paid_on"] for e in entries} == {date(2025, 1, 31)}
    assert paid == {
        ("whitfield", "royalty"): Decimal("12375.00"),  # 3/16
        ("cordova", "royalty"): Decimal("2062.50"),  # ORRI 1/32, reported as a royalty
        ("llano", "working_interest"): Decimal("12890.63"),  # 0.1953125 x 66,000 = 12,890.625, half up
    }


def test_sales_paid_in_another_year_are_left_out():
    nets = {"A": {date(2024, 10, 1): Decimal("500"), date(2025, 11, 1): Decimal("500")}}
    assert last_year_payments(REVENUE_DECKS, nets, LAST_MONTH) == []  # paid December 2024 and January 2026
