"""Check amounts in words and the positive-pay rows, against values written out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from wellflow_accounting.domain.checks import PositivePayItem, amount_in_words, positive_pay_rows


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.45", "Zero and 45/100 dollars"),
        ("836.53", "Eight hundred thirty-six and 53/100 dollars"),
        ("1000.00", "One thousand and 00/100 dollars"),
        ("62673.12", "Sixty-two thousand six hundred seventy-three and 12/100 dollars"),
        ("1200010.07", "One million two hundred thousand ten and 07/100 dollars"),
        ("19.90", "Nineteen and 90/100 dollars"),
    ],
)
def test_a_check_writes_its_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_positive_pay_rows_issue_and_void():
    rows = positive_pay_rows(
        [
            PositivePayItem("8800123456", 1001, date(2026, 8, 10), Decimal("62673.12"), "Operator WI"),
            PositivePayItem("8800123456", 1001, date(2026, 8, 10), Decimal("62673.12"), "Operator WI", void=True),
        ]
    )
    assert rows == [
        ["8800123456", "1001", "08/10/2026", "62673.12", "OPERATOR WI", "I"],
        ["8800123456", "1001", "08/10/2026", "62673.12", "OPERATOR WI", "V"],
    ]
