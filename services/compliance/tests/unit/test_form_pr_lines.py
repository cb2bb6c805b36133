"""The Form PR line of a lease: what is reported and what a clerk is told to fix."""

from decimal import Decimal as D
from uuid import UUID

import pytest

from wellflow_compliance.domain.form_pr import (
    Adjustment,
    LeaseFacts,
    LeaseMonth,
    RecordedGas,
    WellFacts,
    header_issues,
    parse_period,
)
from wellflow_compliance.domain.form_pr_line import build_line, whole_parts

LEASE = UUID("01938a10-0000-7000-8000-000000000001")
WELL = UUID("01938a10-0000-7000-8000-000000000002")


def oil_lease(**overrides) -> LeaseFacts:
    values = {
        "lease_id": LEASE,
        "name": "Ranch A",
        "rrc_district": "08",
        "rrc_lease_number": "12345",
        "lease_type": "oil",
        "wells": (WellFacts(WELL, "42501201300000", "producing"),),
    }
    values.update(overrides)
    return LeaseFacts(**values)


def oil_month(**overrides) -> LeaseMonth:
    values = {
        "revision": 3,
        "lease_type": "oil",
        "liquid_bbl": D("1000.4"),
        "gas_mcf": D("2000.4"),
        "liquid_dispositions": (("00", D("950.6")),),
        "gas_dispositions": (RecordedGas("02", D("1800.2")), RecordedGas("01", D("200.2"))),
    }
    values.update(overrides)
    return LeaseMonth(**values)


def adjustment(product, code, volume, authority=None, remark=None) -> Adjustment:
    return Adjustment(UUID(int=1), product, code, D(volume), authority, remark, "office knows", "clerk-1")


READINGS_ONLY = "no-month-end-gauge"  # the default month here has no month-end gauge: the readings are used


def problems(line):
    """The line's issues but the readings-basis warning (tests about other checks)."""
    return [issue for issue in line.issues if issue.code != READINGS_ONLY]


def codes(line):
    return sorted(issue.code for issue in problems(line))


def test_oil_lease_reports_oil_and_casinghead_gas_in_whole_units_and_balances():
    line = build_line(oil_lease(), oil_month(), previous_ending=120)
    assert (line.liquid_product, line.gas_product) == ("oil", "casinghead_gas")
    assert (line.beginning_stock, line.liquid_production, line.liquid_disposed) == (120, 1000, 951)
    assert line.ending_stock == 120 + 1000 - 951
    assert line.liquid_basis == "readings" and [i.code for i in line.issues] == [READINGS_ONLY]
    assert [(d.code, d.volume) for d in line.gas_dispositions] == [("01", 200), ("02", 1800)]
    assert line.gas_production == line.gas_disposed == 2000
    assert problems(line) == []
    assert (line.identifier_kind, line.identifier) == ("lease_number", "12345")


def test_gas_well_reports_condensate_not_oil():
    lease = oil_lease(lease_type="gas", rrc_lease_number="203456")
    month = LeaseMonth(
        revision=1,
        lease_type="gas",
        liquid_bbl=D("40.5"),
        gas_mcf=D("9000"),
        liquid_dispositions=(("01", D("30")),),
        gas_dispositions=(RecordedGas("02", D("8700")), RecordedGas("09", D("300"))),
    )
    line = build_line(lease, month, previous_ending=None)
    assert (line.liquid_product, line.gas_product) == ("condensate", "gas_well_gas")
    assert (line.identifier_kind, line.identifier) == ("gas_well_id", "203456")
    assert line.liquid_production == 41  # 40.5 rounds half up
    assert line.ending_stock == 11
    assert problems(line) == []


def test_first_month_starts_from_the_gauged_opening_stock():
    line = build_line(oil_lease(), oil_month(beginning_stock_bbl=D("80.5")), previous_ending=None)
    assert line.beginning_stock == 81


def test_gauged_month_derives_production_from_the_tanks_and_shows_the_readings_variance():
    month = oil_month(ending_stock_bbl=D("100.4"), month_end_gauged=True)
    line = build_line(oil_lease(), month, previous_ending=120)
    # ending = whole(100.4) = 100; production = 100 - 120 + 951 = 931; the readings said 1,000.4
    figures = (line.beginning_stock, line.liquid_production, line.liquid_disposed, line.ending_stock)
    assert figures == (120, 931, 951, 100)
    assert line.beginning_stock + line.liquid_production - line.liquid_disposed == line.ending_stock
    assert line.liquid_basis == "gauged" and line.liquid_variance == D("69.4")
    [issue] = line.issues
    assert (issue.severity, issue.code) == ("warning", "measured-variance")
    assert "readings total 1,000.4 BBL" in issue.message and "931 BBL produced" in issue.message
    assert "07" not in issue.message and "05" not in issue.message  # never advice to invent a disposition


def test_a_variance_within_tolerance_is_quiet():
    month = oil_month(ending_stock_bbl=D("166.8"), month_end_gauged=True)  # production 998 vs readings 1,000.4
    line = build_line(oil_lease(), month, previous_ending=120)
    assert line.issues == () and line.liquid_production == 998


def test_ticket_at_85_f_with_half_a_percent_bsw_balances():
    """The issue's month: no loss, one ticket at 85 F and 0.5 % BS&W: tanks and ticket on one (net) basis."""
    month = oil_month(
        liquid_bbl=D("205.0"),
        beginning_stock_bbl=D("393.89"),
        ending_stock_bbl=D("393.89") + D("201.42") - D("196.95"),
        month_end_gauged=True,
        liquid_dispositions=(("01", D("196.95")),),
    )
    line = build_line(oil_lease(), month, previous_ending=None)
    assert [i.severity for i in line.issues] == []
    figures = (line.beginning_stock, line.liquid_production, line.liquid_disposed, line.ending_stock)
    assert figures == (394, 201, 197, 398)  # 201.42 produced into the tank


def test_negative_derived_production_is_an_error_naming_tickets_or_gauges():
    month = oil_month(ending_stock_bbl=D("20"), month_end_gauged=True)
    line = build_line(oil_lease(), month, previous_ending=1200)
    [issue] = [i for i in line.issues if i.severity == "error"]
    assert issue.code == "negative-production"
    assert "would have produced -229 BBL" in issue.message and "run ticket or a tank gauge is wrong" in issue.message


def test_nothing_produced_rounds_the_dispositions_together_so_the_line_foots():
    # 100.6 on hand (reported 101), 50.3 sold, 50.3 left: rounded apart, production would be -1
    month = oil_month(
        liquid_bbl=D("0"), ending_stock_bbl=D("50.3"), month_end_gauged=True, liquid_dispositions=(("01", D("50.3")),)
    )
    line = build_line(oil_lease(), month, previous_ending=101)
    assert (line.beginning_stock, line.liquid_production, line.liquid_disposed, line.ending_stock) == (101, 0, 51, 50)
    assert [i for i in line.issues if i.severity == "error"] == []


def test_uncorrected_stock_gauges_are_named_in_a_warning():
    month = oil_month(
        ending_stock_bbl=D("166.8"),
        month_end_gauged=True,
        uncorrected_gauges=("tank T1 on 2026-07-31 (ending stock, no temperature)",),
    )
    [issue] = build_line(oil_lease(), month, previous_ending=120).issues
    assert issue.code == "stock-not-corrected" and "tank T1 on 2026-07-31" in issue.message


def test_more_disposed_than_on_hand_is_negative_stock():
    line = build_line(oil_lease(), oil_month(liquid_dispositions=(("01", D("1200")),)), previous_ending=100)
    assert "negative-ending-stock" in codes(line)


def test_gas_dispositions_must_equal_gas_production():
    month = oil_month(gas_dispositions=(RecordedGas("02", D("1800")),))
    line = build_line(oil_lease(), month, previous_ending=0)
    [issue] = problems(line)
    assert issue.code == "gas-disposition-mismatch"
    assert "total 1,800 MCF but the lease produced 2,000 MCF" in issue.message
    assert "200 MCF have no disposition" in issue.message


def test_flaring_without_authority_is_an_error_until_the_office_adds_it():
    month = oil_month(gas_dispositions=(RecordedGas("02", D("1800.4")), RecordedGas("10", D("200"))))
    line = build_line(oil_lease(), month, previous_ending=0)
    assert codes(line) == ["flare-authority-missing"]
    assert "200 MCF flared (code 10) carries no authority" in problems(line)[0].message
    fixed = build_line(oil_lease(), month, previous_ending=0, adjustments=[adjustment("gas", "10", "0", "AR")])
    assert problems(fixed) == []
    assert [(d.code, d.authority) for d in fixed.gas_dispositions] == [("02", None), ("10", "AR")]


def test_venting_recorded_with_authority_by_production_passes():
    month = oil_month(gas_dispositions=(RecordedGas("02", D("1900.4")), RecordedGas("11", D("100"), "EX")))
    assert problems(build_line(oil_lease(), month, previous_ending=0)) == []


def test_pending_lease_is_reported_under_the_api_number_with_a_warning():
    line = build_line(oil_lease(rrc_lease_number=None), oil_month(), previous_ending=0)
    assert (line.identifier_kind, line.identifier) == ("api_number", "42-501-20130-00-00")
    [issue] = problems(line)
    assert (issue.severity, issue.code) == ("warning", "pending-lease")


def test_pending_lease_without_wells_cannot_be_identified():
    line = build_line(oil_lease(rrc_lease_number=None, wells=()), oil_month(), previous_ending=0)
    assert codes(line) == ["pending-lease-unidentified"]


def test_pending_lease_falls_back_to_the_permit_number():
    wells = (WellFacts(WELL, "", "permitted", permit_number="845123"),)
    line = build_line(oil_lease(rrc_lease_number=None, wells=wells), oil_month(), previous_ending=0)
    assert (line.identifier_kind, line.identifier) == ("permit_number", "845123")


@pytest.mark.parametrize(
    ("district", "number", "expected"),
    [("8C", "12345", ["invalid-district"]), ("08", "1234567", ["invalid-lease-number"]), ("6E", "0A123", [])],
)
def test_district_and_lease_number_are_checked(district, number, expected):
    line = build_line(oil_lease(rrc_district=district, rrc_lease_number=number), oil_month(), previous_ending=0)
    assert codes(line) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (None, ["operator-number-missing"]),
        ("12345", ["invalid-operator-number"]),
        ("12345A", ["invalid-operator-number"]),
        ("012345", []),
    ],
)
def test_operator_number_is_six_digits(number, expected):
    assert [i.code for i in header_issues(number)] == expected


def test_a_lost_spill_of_five_barrels_needs_an_h8_warning():
    line = build_line(oil_lease(), oil_month(), previous_ending=120, adjustments=[adjustment("liquid", "05", "6")])
    assert codes(line) == ["h8-required"]


def test_unknown_codes_and_retired_gas_code_04_are_errors():
    month = oil_month(gas_dispositions=(RecordedGas("04", D("2000.4")),))
    assert codes(build_line(oil_lease(), month, previous_ending=0)) == ["unknown-disposition-code"]


def test_run_tickets_that_disagree_with_the_lease_totals_warn():
    line = build_line(oil_lease(), oil_month(), previous_ending=120, run_ticket_bbl={"00": D("1100")})
    assert codes(line) == ["run-tickets-differ"]


def test_lease_without_production_this_month_carries_its_stock():
    line = build_line(oil_lease(), None, previous_ending=75)
    assert (line.beginning_stock, line.liquid_production, line.ending_stock, line.gas_production) == (75, 0, 75, 0)
    assert problems(line) == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D("0.5"), D("0.5"), D("0.5")], [1, 1, 0]),
        ([D("1800.4"), D("199.6")], [1800, 200]),
        ([D("10.3"), D("10.3"), D("10.4")], [10, 10, 11]),
        ([D("0.2")] * 7, [1, 0, 0, 0, 0, 0, 0]),
        ([D("-0.4"), D("-0.4"), D("0.3")], [0, -1, 0]),
        ([D("-1.5"), D("2.7"), D("0.5"), D("-0.5")], [-1, 3, 0, -1]),
    ],
)
def test_largest_remainder_keeps_the_rounded_total(values, expected):
    """The gas dispositions' whole MCF (wellflow_texas.apportion.largest_remainder, as the service's own copy
    answered before it was removed: the expected lists are that copy's answers)."""
    rounded = whole_parts(values)
    assert rounded == expected
    total = sum(values)
    assert sum(rounded) == int(total.quantize(D("1"), rounding="ROUND_HALF_UP"))
    assert all(abs(r - v) < 1 for r, v in zip(rounded, values, strict=True))


@pytest.mark.parametrize("text", ["2026-13", "26-01", "2026/01", "july"])
def test_period_must_be_year_and_month(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_period(text)


def test_stock_crossing_half_a_barrel_with_nothing_produced_is_carried_not_an_error():
    # last month 380.50 reported as 381; this month the tanks read 380.49 and nothing moved
    month = oil_month(liquid_bbl=D("0"), ending_stock_bbl=D("380.49"), month_end_gauged=True, liquid_dispositions=())
    line = build_line(oil_lease(), month, previous_ending=381)
    assert (line.liquid_production, line.ending_stock) == (0, 381)
    assert [i.code for i in line.issues] == ["stock-rounded"]
