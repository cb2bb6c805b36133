"""Form PR details: codes per product, the 10/11 authority in the remarks, one line per gas well, purchasers."""

from decimal import Decimal as D
from uuid import UUID

from wellflow_compliance.domain.form_pr import (
    Adjustment,
    LeaseFacts,
    LeaseMonth,
    Purchaser,
    RecordedGas,
    WellFacts,
    WellVolumes,
)
from wellflow_compliance.domain.form_pr_line import build_line

LEASE = UUID("01938a10-0000-7000-8000-000000000001")
W1 = UUID("01938a10-0000-7000-8000-000000000011")
W2 = UUID("01938a10-0000-7000-8000-000000000012")
W3 = UUID("01938a10-0000-7000-8000-000000000013")


def lease(lease_type="oil", wells=None, **overrides) -> LeaseFacts:
    values = {
        "lease_id": LEASE,
        "name": "Ranch A",
        "rrc_district": "08",
        "rrc_lease_number": "12345",
        "lease_type": lease_type,
        "wells": wells if wells is not None else (WellFacts(W1, "42501201300000", "producing"),),
    }
    values.update(overrides)
    return LeaseFacts(**values)


def adjustment(product, code, volume, authority=None, remark=None) -> Adjustment:
    return Adjustment(UUID(int=1), product, code, D(volume), authority, remark, "office knows", "clerk-1")


def issue_codes(line):
    return sorted(issue.code for issue in line.issues)


def not_allowed(line):
    return [i.message for i in line.issues if i.code == "disposition-code-not-for-product"]


def test_09_is_scrubber_oil_for_oil_only():
    oil = LeaseMonth(1, "oil", D("100"), D("0"), liquid_dispositions=(("09", D("10")), ("00", D("90"))))
    assert not_allowed(build_line(lease(), oil, previous_ending=0)) == []
    condensate = LeaseMonth(1, "gas", D("100"), D("0"), liquid_dispositions=(("09", D("10")), ("00", D("90"))))
    messages = not_allowed(build_line(lease("gas"), condensate, previous_ending=0))
    assert len(messages) == 1
    assert "code 09" in messages[0] and "not allowed for condensate" in messages[0]


def test_09_is_lease_separation_shrinkage_for_gas_well_gas_only():
    casinghead = LeaseMonth(1, "oil", D("0"), D("100"), gas_dispositions=(RecordedGas("09", D("100")),))
    messages = not_allowed(build_line(lease(), casinghead, previous_ending=0))
    assert len(messages) == 1 and "code 09" in messages[0] and "casinghead gas" in messages[0]
    gas = LeaseMonth(1, "gas", D("0"), D("100"), gas_dispositions=(RecordedGas("09", D("100")),))
    assert not_allowed(build_line(lease("gas"), gas, previous_ending=0)) == []


def test_pipeline_00_is_no_gas_code_and_an_office_adjustment_is_checked_too():
    month = LeaseMonth(1, "oil", D("0"), D("100"), gas_dispositions=(RecordedGas("02", D("100")),))
    line = build_line(lease(), month, previous_ending=0, adjustments=[adjustment("gas", "09", "5")])
    assert len(not_allowed(line)) == 1


def test_the_flare_authority_goes_into_the_remarks():
    month = LeaseMonth(
        1,
        "oil",
        D("0"),
        D("100"),
        gas_dispositions=(RecordedGas("10", D("60"), "AR"), RecordedGas("11", D("40"), "EP")),
    )
    line = build_line(lease(), month, previous_ending=0, adjustments=[adjustment("remark", None, "0", remark="hi")])
    assert line.remarks == ("10 AR", "11 EP", "hi")
    assert "gas-disposition-mismatch" not in issue_codes(line)


def test_a_missing_authority_writes_no_remark():
    month = LeaseMonth(1, "oil", D("0"), D("100"), gas_dispositions=(RecordedGas("10", D("100")),))
    line = build_line(lease(), month, previous_ending=0)
    assert line.remarks == ()
    assert "flare-authority-missing" in issue_codes(line)


def gas_lease(*ids):
    wells = tuple(WellFacts(w, f"4250120{n}000000", "producing", gid) for n, (w, gid) in enumerate(ids, 130))
    return lease("gas", wells=wells, rrc_lease_number="203456")


def test_a_gas_lease_with_several_gas_wells_reports_one_line_per_gas_well():
    month = LeaseMonth(
        1,
        "gas",
        liquid_bbl=D("30"),
        gas_mcf=D("1000"),
        liquid_dispositions=(("01", D("20")),),
        gas_dispositions=(RecordedGas("02", D("900")), RecordedGas("10", D("100"), "AR")),
        wells=(WellVolumes(W1, D("10"), D("600")), WellVolumes(W2, D("20"), D("400"))),
    )
    line = build_line(gas_lease((W1, "200001"), (W2, "200002")), month, previous_ending=4)
    assert [w.gas_well_id for w in line.gas_wells] == ["200001", "200002"]
    first, second = line.gas_wells
    assert (first.liquid_production, second.liquid_production) == (10, 20)
    assert (first.gas_production, second.gas_production) == (600, 400)
    assert [(d.code, d.volume) for d in first.gas_dispositions] == [("02", 540), ("10", 60)]
    assert [(d.code, d.volume) for d in second.gas_dispositions] == [("02", 360), ("10", 40)]
    # every figure adds up to the lease's, and each well's line balances
    assert sum(w.beginning_stock for w in line.gas_wells) == line.beginning_stock
    assert sum(w.ending_stock for w in line.gas_wells) == line.ending_stock
    for w in line.gas_wells:
        disposed = sum(d.volume for d in w.liquid_dispositions)
        assert w.beginning_stock + w.liquid_production - disposed == w.ending_stock
        assert sum(d.volume for d in w.gas_dispositions) == w.gas_production
        assert w.remarks == ("10 AR",)
    assert "gas-lease-several-wells" not in issue_codes(line)
    assert line.as_dict()["gas_wells"][0]["gas_well_id"] == "200001"


def test_odd_units_are_shared_by_largest_remainder():
    month = LeaseMonth(
        1,
        "gas",
        liquid_bbl=D("0"),
        gas_mcf=D("100"),
        gas_dispositions=(RecordedGas("02", D("100")),),
        wells=tuple(WellVolumes(w, D("0"), D("1")) for w in (W1, W2, W3)),
    )
    line = build_line(gas_lease((W1, "200001"), (W2, "200002"), (W3, "200003")), month, previous_ending=0)
    assert sorted(w.gas_production for w in line.gas_wells) == [33, 33, 34]
    assert sum(w.gas_production for w in line.gas_wells) == 100


def test_a_gas_well_without_its_gas_well_id_is_an_error_that_says_what_to_enter():
    month = LeaseMonth(1, "gas", D("0"), D("10"), gas_dispositions=(RecordedGas("02", D("10")),))
    line = build_line(gas_lease((W1, "200001"), (W2, None)), month, previous_ending=0)
    missing = [i for i in line.issues if i.code == "gas-well-id-missing"]
    assert len(missing) == 1 and missing[0].severity == "error"
    assert "42-501-20131" in missing[0].message and "Gas well ID" in missing[0].message
    assert "gas-wells-split-equally" in issue_codes(line)
    assert sorted(w.gas_production for w in line.gas_wells) == [5, 5]


def test_an_oil_lease_and_a_single_gas_well_keep_one_line():
    month = LeaseMonth(1, "gas", D("0"), D("10"), gas_dispositions=(RecordedGas("02", D("10")),))
    assert build_line(gas_lease((W1, "200001")), month, previous_ending=0).gas_wells == ()
    oil = lease("oil", wells=gas_lease((W1, "1"), (W2, "2")).wells)
    assert build_line(oil, LeaseMonth(1, "oil", D("0"), D("0")), previous_ending=0).gas_wells == ()


def test_purchasers_are_carried_on_the_line():
    p = Purchaser("oil", "purchaser", "Plains Marketing", "123456", "2026-01-01")
    line = build_line(lease(purchasers=(p,)), None, previous_ending=0)
    assert line.as_dict()["purchasers"] == [
        {
            "product": "oil",
            "role": "purchaser",
            "name": "Plains Marketing",
            "p5_number": "123456",
            "effective_from": "2026-01-01",
            "effective_to": None,
        }
    ]
