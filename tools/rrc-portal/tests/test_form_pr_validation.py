"""The stand-in's Form PR checks, case by case."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from wellflow_rrc_portal.validation import validate_form_pr


def oil_lease_report() -> dict[str, Any]:
    return {
        "operator_number": "123456",
        "period": "2026-07",
        "lines": [
            {
                "district": "08",
                "lease_number": "12345",
                "lease_type": "oil",
                "products": [
                    {
                        "product": "oil",
                        "beginning_stock": 120,
                        "production": 900,
                        "dispositions": [{"code": "00", "volume": 850}],
                        "ending_stock": 170,
                    },
                    {
                        "product": "casinghead_gas",
                        "production": 1500,
                        "dispositions": [
                            {"code": "02", "volume": 1400},
                            {"code": "10", "volume": 100, "authority": "AR"},
                        ],
                    },
                ],
            },
            {
                "district": "7C",
                "api_number": "42-383-12345",
                "lease_type": "gas",
                "products": [
                    {"product": "gas_well_gas", "production": 3000, "dispositions": [{"code": "03", "volume": 3000}]},
                    {
                        "product": "condensate",
                        "beginning_stock": 0,
                        "production": 40,
                        "dispositions": [],
                        "ending_stock": 40,
                    },
                ],
            },
        ],
    }


def test_a_balanced_oil_lease_and_pending_gas_well_are_accepted() -> None:
    assert validate_form_pr(oil_lease_report()) == []


def _with(change: Any) -> dict[str, Any]:
    report = copy.deepcopy(oil_lease_report())
    change(report)
    return report


def _oil(report: dict[str, Any]) -> dict[str, Any]:
    return report["lines"][0]["products"][0]


def _gas(report: dict[str, Any]) -> dict[str, Any]:
    return report["lines"][0]["products"][1]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r.update(operator_number="12345"), "Operator number must be the 6 digits"),
        (lambda r: r.update(operator_number="12345A"), "Operator number must be the 6 digits"),
        (lambda r: r.update(period="2026-13"), "Period must be the production month"),
        (lambda r: r.update(lines=[]), "at least one lease line"),
        (lambda r: r["lines"][0].update(district="11"), "district must be one of"),
        (lambda r: r["lines"][0].update(lease_number=None), "needs an RRC lease number"),
        (lambda r: r["lines"][1].update(api_number="35-383-12345"), "Texas API number"),
        (lambda r: _oil(r).update(ending_stock=171), "does not balance: beginning stock 120 + production 900"),
        (lambda r: _oil(r).update(production=900.5), "production must be a whole"),
        (lambda r: _oil(r).update(production=-1), "production must be a whole"),
        (lambda r: _oil(r)["dispositions"][0].update(code="10"), "code '10' is not valid for oil"),
        (lambda r: _gas(r)["dispositions"][1].pop("authority"), "needs an authority remark"),
        (lambda r: _gas(r)["dispositions"][1].update(code="11", authority="XX"), "gas vented (code 11)"),
        (lambda r: _gas(r)["dispositions"][0].update(volume=1399), "dispositions (1499) must equal production"),
        (lambda r: _gas(r).update(product="gas_well_gas"), "gas_well_gas cannot be reported here"),
        (lambda r: r["lines"].append(copy.deepcopy(r["lines"][0])), "the same lease is reported twice"),
    ],
)
def test_each_problem_is_named_with_its_line(change: Any, expected: str) -> None:
    reasons = validate_form_pr(_with(change))
    assert any(expected in reason for reason in reasons), reasons


def test_reasons_name_the_lease_a_clerk_must_fix() -> None:
    reasons = validate_form_pr(_with(lambda r: _oil(r).update(ending_stock=0)))
    assert reasons == [
        "Line 1 (district 08, lease 12345), oil: does not balance: beginning stock 120 + production 900 - "
        "dispositions 850 = 170, but ending stock is 0."
    ]


@pytest.mark.parametrize("api_number", ["42-383-12345", "4238312345", "42-383-12345-01", "42-383-12345-00-00"])
def test_a_pending_lease_may_give_its_api_number_with_or_without_sidetrack_and_event(api_number: str) -> None:
    assert validate_form_pr(_with(lambda r: r["lines"][1].update(api_number=api_number))) == []


def test_every_authority_remark_is_accepted_on_flared_gas() -> None:
    for authority in ("AR", "AE", "EP", "EX"):
        assert validate_form_pr(_with(lambda r, a=authority: _gas(r)["dispositions"][1].update(authority=a))) == []


def test_a_body_that_is_not_a_report_is_rejected() -> None:
    assert validate_form_pr([1, 2]) == ["The filing must be a JSON object."]
