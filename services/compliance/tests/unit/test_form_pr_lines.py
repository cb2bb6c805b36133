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


def codes(line):
    return sorted(issue.code for issue in line.issues)


def test_oil_lease_reports_oil_and_casinghead_gas_in_whole_units_and_balances():
    line = build_line(oil_lease(), oil_month(), previous_ending=120)
    assert (line.liquid_product, line.gas_product) == ("oil", "casinghead_gas")
    assert (line.beginning_stock, line.liquid_production, line.liquid_disposed) == (120, 1000, 951)
    assert line.ending_stock == 120 + 1000 - 951
    assert [(d.code, d.volume) for d in line.gas_dispositions] == [("01", 200), ("02", 1800)]
    assert line.gas_production == line.gas_disposed == 2000
    assert line.issues == ()
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
    assert line.issues == ()


def test_first_month_starts_from_the_gauged_opening_stock():
    line = build_line(oil_lease(), oil_month(beginning_stock_bbl=D("80.5")), previous_ending=None)
    assert line.beginning_stock == 81


def test_gauged_ending_stock_that_does_not_balance_is_an_error_the_clerk_can_act_on():
    line = build_line(oil_lease(), oil_month(ending_stock_bbl=D("160")), previous_ending=120)
    [issue] = line.issues
    assert issue.code == "liquid-balance" and issue.severity == "error"
    assert "120 + production 1,000 - dispositions 951 = 169 BBL" in issue.message
    assert "gauged at 160 BBL" in issue.message and "07 other" in issue.message


def test_gauged_ending_within_rounding_is_not_an_error():
    line = build_line(oil_lease(), oil_month(ending_stock_bbl=D("169.3")), previous_ending=120)
    assert line.issues == ()


def test_an_office_disposition_explains_the_difference():
    adjustments = [adjustment("liquid", "07", "9", remark="theft reported to sheriff")]
    line = build_line(oil_lease(), oil_month(ending_stock_bbl=D("160")), previous_ending=120, adjustments=adjustments)
    assert line.issues == ()
    assert line.ending_stock == 160
    assert line.remarks == ("theft reported to sheriff",)


def test_more_disposed_than_on_hand_is_negative_stock():
    line = build_line(oil_lease(), oil_month(liquid_dispositions=(("01", D("1200")),)), previous_ending=100)
    assert "negative-ending-stock" in codes(line)


def test_gas_dispositions_must_equal_gas_production():
    month = oil_month(gas_dispositions=(RecordedGas("02", D("1800")),))
    line = build_line(oil_lease(), month, previous_ending=0)
    [issue] = line.issues
    assert issue.code == "gas-disposition-mismatch"
    assert "total 1,800 MCF but the lease produced 2,000 MCF" in issue.message
    assert "200 MCF have no disposition" in issue.message


def test_flaring_without_authority_is_an_error_until_the_office_adds_it():
    month = oil_month(gas_dispositions=(RecordedGas("02", D("1800.4")), RecordedGas("10", D("200"))))
    line = build_line(oil_lease(), month, previous_ending=0)
    assert codes(line) == ["flare-authority-missing"]
    assert "200 MCF flared (code 10) carries no authority" in line.issues[0].message
    fixed = build_line(oil_lease(), month, previous_ending=0, adjustments=[adjustment("gas", "10", "0", "AR")])
    assert fixed.issues == ()
    assert [(d.code, d.authority) for d in fixed.gas_dispositions] == [("02", None), ("10", "AR")]


def test_venting_recorded_with_authority_by_production_passes():
    month = oil_month(gas_dispositions=(RecordedGas("02", D("1900.4")), RecordedGas("11", D("100"), "EX")))
    assert build_line(oil_lease(), month, previous_ending=0).issues == ()


def test_pending_lease_is_reported_under_the_api_number_with_a_warning():
    line = build_line(oil_lease(rrc_lease_number=None), oil_month(), previous_ending=0)
    assert (line.identifier_kind, line.identifier) == ("api_number", "42-501-20130-00-00")
    [issue] = line.issues
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
    assert line.issues == ()


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
