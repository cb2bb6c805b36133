"""Year-end 1099s: TINs, backup withholding and the year's boxes per owner, against worked examples computed by
hand from the IRS instructions (docs/1099.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wellflow_accounting.domain.form1099 import Form, IncomeKind, PaymentFact, owner_years, split_withholding
from wellflow_accounting.domain.tax_identity import (
    TaxIdentity,
    TinType,
    backup_withholding_for,
    backup_withholding_reason,
    guess_tin_type,
    mask_tin,
    tin_problem,
)
from wellflow_texas import irs

D = Decimal
ROY = IncomeKind.ROYALTY
WI = IncomeKind.WORKING_INTEREST


@pytest.mark.parametrize(
    ("tin", "tin_type", "ok"),
    [
        ("123456789", TinType.SSN, True),
        ("000123456", TinType.SSN, False),  # area 000
        ("666123456", TinType.SSN, False),  # area 666
        ("123006789", TinType.SSN, False),  # group 00
        ("123450000", TinType.SSN, False),  # serial 0000
        ("912701234", TinType.SSN, True),  # an ITIN: 9xx with 70-88 in digits 4-5
        ("912401234", TinType.SSN, False),  # 9xx with group 40 is neither an SSN nor an ITIN
        ("751234567", TinType.EIN, True),  # prefix 75 (Philadelphia campus)
        ("071234567", TinType.EIN, False),  # 07 is not an EIN prefix
        ("891234567", TinType.EIN, False),
        ("12345678", TinType.EIN, False),
    ],
)
def test_tin_format_follows_the_ssa_and_irs_numbering(tin: str, tin_type: TinType, ok: bool) -> None:
    assert (tin_problem(tin, tin_type) is None) is ok


def test_tin_type_read_from_how_it_is_written() -> None:
    assert guess_tin_type("75-1234567", individual=True) is TinType.EIN
    assert guess_tin_type("123-45-6789", individual=False) is TinType.SSN
    assert guess_tin_type("123456789", individual=True) is TinType.SSN
    assert guess_tin_type("123456789", individual=False) is TinType.EIN
    assert mask_tin("123456789") == "***-**-6789"


def test_backup_withholding_is_24_percent_when_the_tin_is_missing() -> None:
    # 24% of a $1,000.00 royalty (IRC 3406(a)(1)): $240.00; of $833.33: 199.9992 -> $200.00 (to the cent).
    nobody = TaxIdentity(tin=None)
    assert backup_withholding_reason(nobody) == "tin-missing"
    assert backup_withholding_for(nobody, D("1000.00")) == D("240.00")
    assert backup_withholding_for(nobody, D("833.33")) == D("200.00")
    assert backup_withholding_for(nobody, D("1000.00"), payable=D("150.00")) == D("150.00")
    assert D("0.24") == irs.BACKUP_WITHHOLDING_RATE


def test_a_b_notice_withholds_until_the_owner_certifies_again() -> None:
    noticed = TaxIdentity(tin="123456789", tin_type=TinType.SSN, b_notice_on=date(2025, 10, 15))
    assert backup_withholding_reason(noticed) == "b-notice"
    assert backup_withholding_for(noticed, D("50.00")) == D("12.00")
    older_w9 = TaxIdentity("123456789", TinType.SSN, date(2025, 10, 15), certified_on=date(2024, 1, 5))
    assert backup_withholding_reason(older_w9) == "b-notice"
    new_w9 = TaxIdentity("123456789", TinType.SSN, date(2025, 10, 15), certified_on=date(2025, 11, 2))
    assert backup_withholding_for(new_w9, D("50.00")) == D("0.00")
    assert backup_withholding_for(TaxIdentity(tin=None, exempt=True), D("50.00")) == D("0.00")


def _pay(owner: str, on: date, royalty: str = "0", wi: str = "0", **rest: str) -> PaymentFact:
    gross = {kind: D(v) for kind, v in ((ROY, royalty), (WI, wi)) if D(v)}
    return PaymentFact(owner, f"{owner}-{on}", on, gross, **{k: D(v) for k, v in rest.items()})


def test_royalty_box_2_is_the_gross_before_severance_tax_and_deductions() -> None:
    # The 91.402 example: decimal 0.01250000 on $70,000.00 of oil: gross $875.00, tax $40.25, net $834.75.
    year = owner_years([_pay("ada", date(2025, 5, 20), royalty="875.00", tax="40.25")], 2025)["ada"]
    assert year.amount(Form.MISC, "2") == D("875.00")
    assert year.net == D("834.75")
    assert year.forms_due() == [Form.MISC]


@pytest.mark.parametrize(("royalty", "due"), [("9.99", False), ("10.00", True)])
def test_royalties_are_reported_from_ten_dollars(royalty: str, due: bool) -> None:
    year = owner_years([_pay("ada", date(2025, 3, 1), royalty=royalty)], 2025)["ada"]
    assert year.due(Form.MISC) is due


@pytest.mark.parametrize(
    ("year", "amount", "due"),
    [(2025, "599.99", False), (2025, "600.00", True), (2026, "1999.99", False), (2026, "2000.00", True)],
)
def test_working_interest_goes_to_1099_nec_box_1_at_the_years_threshold(year: int, amount: str, due: bool) -> None:
    owner = owner_years([_pay("wi", date(year, 6, 30), wi=amount)], year)["wi"]
    assert owner.amount(Form.NEC, "1") == D(amount)
    assert owner.amount(Form.MISC, "2") == D("0.00")
    assert owner.due(Form.NEC) is due


def test_any_backup_withholding_makes_the_form_due() -> None:
    # $8.00 of royalties (under $10) from which $1.92 was withheld: still a 1099-MISC, box 4 $1.92.
    owner = owner_years([_pay("x", date(2025, 2, 1), royalty="8.00", backup_withholding="1.92")], 2025)["x"]
    assert owner.amount(Form.MISC, "4") == D("1.92")
    assert owner.due(Form.MISC)


def test_cash_basis_a_payment_counts_in_the_year_it_is_paid() -> None:
    # December 2025 sales paid on January 20, 2026 are 2026 income; a suspense release of 2024-2025 sales paid
    # on December 31, 2025 is 2025 income at its gross.
    facts = [
        _pay("ada", date(2026, 1, 20), royalty="300.00"),
        _pay("ada", date(2025, 12, 31), royalty="125.40", tax="5.77", deductions="3.00"),
    ]
    assert owner_years(facts, 2025)["ada"].amount(Form.MISC, "2") == D("125.40")
    assert owner_years(facts, 2026)["ada"].amount(Form.MISC, "2") == D("300.00")
    assert "ada" not in owner_years(facts, 2024)


def test_withholding_of_a_mixed_payment_is_split_by_gross() -> None:
    # $100.00 royalty and $300.00 working interest, $96.00 withheld: $24.00 on the MISC, $72.00 on the NEC.
    assert split_withholding({ROY: D("100.00"), WI: D("300.00")}, D("96.00")) == {
        Form.MISC: D("24.00"),
        Form.NEC: D("72.00"),
    }
    # One cent to split three ways: the larger share takes it.
    assert split_withholding({ROY: D("1.00"), WI: D("2.00")}, D("0.01")) == {Form.NEC: D("0.01")}


def test_a_year_that_paid_back_more_than_it_paid_reports_zero_and_says_so() -> None:
    owner = owner_years([_pay("z", date(2025, 4, 1), royalty="-12.00")], 2025)["z"]
    assert owner.amount(Form.MISC, "2") == D("0.00")
    assert owner.warnings and "reported as 0.00" in owner.warnings[0]


def money(most: int = 5_000_000) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=0, max_value=most).map(lambda c: D(c) / 100)


@st.composite
def payments(draw: st.DrawFn) -> list[PaymentFact]:
    out = []
    for index in range(draw(st.integers(min_value=1, max_value=30))):
        out.append(
            PaymentFact(
                payee_id=draw(st.sampled_from("abc")),
                payment_id=index,
                paid_on=date(draw(st.sampled_from([2024, 2025, 2025, 2026])), draw(st.integers(1, 12)), 15),
                gross={ROY: draw(money()), WI: draw(money())},
                backup_withholding=draw(money(500_000)),
                tax=draw(money(200_000)),
                deductions=draw(money(100_000)),
                interest=draw(money(10_000)),
            )
        )
    return out


@given(payments())
@settings(max_examples=150, deadline=None)
def test_each_owners_boxes_equal_the_years_payments_plus_withholding(facts: list[PaymentFact]) -> None:
    """Per owner: the boxes' gross = what was paid + tax + deductions + netting + withholding - interest, and
    box 4 of both forms = the backup withholding of the year's payments."""
    years = owner_years(facts, 2025)
    for owner, year in years.items():
        paid = [f for f in facts if f.payee_id == owner and f.paid_on.year == 2025]
        money_out = sum(
            (f.paid_net + f.tax + f.deductions + f.netted + f.backup_withholding - f.interest for f in paid), D(0)
        )
        assert year.gross == money_out
        assert year.withheld == sum((f.backup_withholding for f in paid), D(0))
        assert year.amount(Form.MISC, "2") == sum((f.gross[ROY] for f in paid), D(0))
        assert year.amount(Form.NEC, "1") == sum((f.gross[WI] for f in paid), D(0))
    assert set(years) == {f.payee_id for f in facts if f.paid_on.year == 2025}
