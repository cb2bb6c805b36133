"""The purchaser statement line and the reconciliation's comparisons, against figures worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from wellflow_accounting.domain.reconciliation import Cause, Facts, Tolerances, reconcile
from wellflow_accounting.domain.statement_layout import Layout, LayoutError, LineError, parse_line

MARCH = date(2026, 3, 1)
LAYOUT = Layout.of(
    {
        "columns": {
            "check_number": "Check",
            "property_number": "Prop",
            "month": "Month",
            "product": "Prod",
            "volume": "Vol",
            "price": "Price",
            "gross_value": "Gross",
            "net_value": "Net",
            "owner_interest": "Int",
        },
        "deductions": {"transportation": "Trans"},
        "taxes": {"severance": "Sev"},
        "products": {"100": "oil"},
        "month_format": "%m/%Y",
    }
)


def row(**overrides: str) -> dict[str, str]:
    base = {
        "Check": "5001",
        "Prop": "P-100",
        "Month": "03/2026",
        "Prod": "100",
        "Vol": "150.00",
        "Price": "71.00",
        "Gross": "$10,650.00",
        "Trans": "(150.00)",
        "Sev": "489.90",
        "Net": "10310.10",
        "Int": "0.1875",
    }
    return base | overrides


def test_a_line_worked_by_hand():
    # 150 BBL x $71.00 = $10,650.00; transportation shown as (150.00) is a deduction of -150.00 in the
    # accountants' notation: net = 10,650.00 - (-150.00) - 489.90 = 10,310.10
    line = parse_line(LAYOUT, row())
    assert (line["month"], line["product"], line["volume"], line["gross_value"]) == (
        MARCH,
        "oil",
        Decimal("150.00"),
        Decimal("10650.00"),
    )
    assert line["deductions"] == {"transportation": "-150.00"} and line["taxes_withheld"] == Decimal("489.90")
    assert line["net_value"] == Decimal("10310.10") and line["owner_interest"] == Decimal("0.1875")


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"Vol": "1S0"}, "Vol"),
        ({"Gross": "10700.00"}, "Gross"),  # 150 x 71.00 = 10,650.00, $50 off: more than rounding
        ({"Net": "10310.12"}, "Net"),  # off by 2 cents: more than a cent of rounding
        ({"Prod": "999"}, "Prod"),
        ({"Month": "2026-03"}, "Month"),
        ({"Int": "1.5"}, "Int"),
    ],
)
def test_a_faulty_line_names_its_column(overrides, column):
    with pytest.raises(LineError) as raised:
        parse_line(LAYOUT, row(**overrides))
    assert raised.value.column == column


def test_a_layout_must_map_the_required_fields():
    with pytest.raises(LayoutError):
        Layout.of({"columns": {"check_number": "Check"}})


def test_the_volume_tolerance_worked_by_hand():
    tol = Tolerances()
    assert tol.volume_allowed(Decimal("180"), Decimal("150")) == Decimal("1.00")  # 0.5% of 180 = 0.90 < 1 BBL
    assert tol.volume_allowed(Decimal("1000"), Decimal("994")) == Decimal("5.00")  # 0.5% of 1,000


def _line(n: int, ticket: str | None, volume: str, price: str = "71.00", product: str = "oil", withheld: str = "0"):
    gross = (Decimal(volume) * Decimal(price)).quantize(Decimal("0.01"))
    return {
        "id": uuid4(),
        "check_number": "5001",
        "line_number": n,
        "ticket_number": ticket,
        "product": product,
        "volume": Decimal(volume),
        "price": Decimal(price),
        "gross_value": gross,
        "taxes_withheld": Decimal(withheld),
    }


def _facts(lines, tickets=(("T-1", "180.00"), ("T-2", "175.50")), gas="0", **extra) -> Facts:
    sold = sum((Decimal(net) for _, net in tickets), Decimal(0))
    return Facts(
        uuid4(),
        MARCH,
        tickets=[{"id": uuid4(), "ticket_number": number, "net_bbl": Decimal(net)} for number, net in tickets],
        field_month={"lease_type": "oil", "liquid_sold_bbl": sold, "gas_sold_mcf": Decimal(gas), "revision": 3},
        lines=lines,
        posted={"oil": {"low": Decimal("70.00"), "high": Decimal("72.00"), "source": "bulletin"}},
        **extra,
    )


def test_a_clean_month_raises_nothing():
    lines = [_line(2, "T-1", "180.00"), _line(3, "T-2", "175.40"), _line(4, None, "1200", "2.50", "gas")]
    assert reconcile(_facts(lines, gas="1200"), Tolerances()) == []


def test_a_short_load_is_one_item_not_also_a_form_pr_difference():
    found = reconcile(_facts([_line(2, "T-1", "150.00"), _line(3, "T-2", "175.50")]), Tolerances())
    assert [(f.cause, f.key, f.expected, f.actual, f.difference) for f in found] == [
        (Cause.VOLUME_DIFFERS, "volume_differs:T-1", Decimal("180.00"), Decimal("150.00"), Decimal("-30.00"))
    ]


def test_a_ticket_not_paid_and_a_price_error():
    found = reconcile(_facts([_line(2, "T-1", "180.00", "7.10")]), Tolerances())
    assert sorted((f.cause, f.key.split(":")[0]) for f in found) == [
        (Cause.PRICE_OUT_OF_RANGE, "price_out_of_range"),
        (Cause.TICKET_NOT_PAID, "ticket_not_paid"),
    ]
    price = next(f for f in found if f.cause is Cause.PRICE_OUT_OF_RANGE)
    assert (price.expected, price.actual) == (Decimal("70.00"), Decimal("7.10"))


def test_lines_without_ticket_numbers_are_compared_in_total():
    found = reconcile(_facts([_line(2, None, "300.00")]), Tolerances())  # tickets 355.50 BBL
    assert [(f.cause, f.expected, f.actual) for f in found] == [
        (Cause.VOLUME_DIFFERS, Decimal("355.50"), Decimal("300.00"))
    ]


def test_gas_sold_on_the_form_pr_against_the_gas_paid():
    lines = [_line(2, "T-1", "180.00"), _line(3, "T-2", "175.50"), _line(4, None, "1100", "2.50", "gas")]
    found = reconcile(_facts(lines, gas="1200"), Tolerances())  # 100 MCF > 0.5% of 1,200 = 6 MCF
    assert [(f.cause, f.product, f.expected, f.actual) for f in found] == [
        (Cause.FORM_PR_DIFFERS, "gas", Decimal("1200"), Decimal("1100"))
    ]


def test_tax_withheld_by_the_purchaser_and_paid_by_the_operator():
    lines = [_line(2, "T-1", "180.00", withheld="587.88"), _line(3, "T-2", "175.50")]
    found = reconcile(_facts(lines, severance={"oil": "1161.53"}), Tolerances())
    assert [(f.cause, f.expected, f.actual) for f in found] == [
        (Cause.TAX_WITHHELD_AND_PAID, Decimal("1161.53"), Decimal("587.88"))
    ]


def test_the_revenue_run_paid_on_another_value():
    lines = [_line(2, "T-1", "180.00"), _line(3, "T-2", "175.50")]  # 12,780.00 + 12,460.50 = 25,240.50
    run = {"oil": {"id": uuid4(), "run_id": uuid4(), "gross_value": Decimal("25240.00")}}  # within $1
    assert reconcile(_facts(lines, revenue=run), Tolerances()) == []
    run["oil"]["gross_value"] = Decimal("25000.00")
    found = reconcile(_facts(lines, revenue=run), Tolerances())
    assert [(f.cause, f.expected, f.actual) for f in found] == [
        (Cause.REVENUE_DIFFERS, Decimal("25240.50"), Decimal("25000.00"))
    ]
