"""The one API number parser: what it accepts (normalized to 14 digits) and each class of malformed input."""

from __future__ import annotations

import pytest

from wellflow_texas.api_number import ApiNumberError, dashed, is_valid_api_number, parse_api_number


@pytest.mark.parametrize(
    ("given", "digits"),
    [
        ("42-501-20130-03-00", "42501201300300"),
        ("42501201300300", "42501201300300"),
        ("4250120130", "42501201300000"),
        ("42-501-20130", "42501201300000"),
        ("42-501-20130-01", "42501201300100"),
        ("425012013001", "42501201300100"),
        ("  42-501-20130  ", "42501201300000"),  # blanks around are ignored
        ("42-001-00001-00-00", "42001000010000"),  # Anderson, the first county
        ("42-507-99999-00-00", "42507999990000"),  # Zavala, the last
        ("35-018-12345", "35018123450000"),  # Oklahoma: no Texas county rule
        ("50-029-12345", "50029123450000"),  # Alaska
        ("51-001-12345", "51001123450000"),  # Hawaii (D12A 51)
        ("55-001-12345", "55001123450000"),  # Alaska offshore
        ("56-001-12345", "56001123450000"),  # Pacific offshore
        ("60-710-12345", "60710123450000"),  # northern Gulf of Mexico
        ("61-001-12345", "61001123450000"),  # Atlantic offshore
    ],
)
def test_accepted_forms_normalize_to_14_digits(given, digits):
    assert parse_api_number(given) == digits
    assert is_valid_api_number(given)


@pytest.mark.parametrize(
    ("given", "code", "says"),
    [
        ("", "empty", "empty"),
        ("   ", "empty", "empty"),
        (None, "empty", "empty"),
        ("42-501-2013A", "invalid-character", "only the digits 0-9"),
        ("42.501.20130", "invalid-character", "only the digits 0-9"),
        ("42/501/20130", "invalid-character", "only the digits 0-9"),
        ("42\u2013501\u201320130", "invalid-character", "only the digits 0-9"),  # en dashes
        ("42 501 20130", "space-inside", "space inside"),
        ("42-501-\t20130", "space-inside", "space inside"),
        ("42-501-2013\u00b2", "non-ascii-digit", "not one of the digits 0-9"),  # superscript two
        ("\u0664\u0662501201300300", "non-ascii-digit", "not one of the digits 0-9"),  # Arabic-Indic 4, 2
        ("\uff14\uff12501201300300", "non-ascii-digit", "not one of the digits 0-9"),  # full-width
        ("425012013", "wrong-length", "has 9 digits"),
        ("42501201300", "wrong-length", "has 11 digits"),
        ("425012013003001", "wrong-length", "has 15 digits"),
        ("42-501-201300", "wrong-length", "has 11 digits"),
        ("4250-120130", "misplaced-dash", "dashes go between the parts"),
        ("42--501-20130", "misplaced-dash", "dashes go between the parts"),
        ("-42-501-20130", "misplaced-dash", "dashes go between the parts"),
        ("42-501-20130-", "misplaced-dash", "dashes go between the parts"),
        ("50120130", "state-missing", "8 digits"),
        ("99-501-20130", "unknown-state", "unknown state code 99"),
        ("00-501-20130", "unknown-state", "unknown state code 00"),
        ("52-001-20130", "unknown-state", "unknown state code 52"),
        ("57-001-20130", "unknown-state", "unknown state code 57"),
        ("42-502-20130", "texas-county-even", "county code 502 is even"),
        ("42-000-20130", "texas-county-range", "county code 000 is out of range"),
        ("42-509-20130", "texas-county-range", "county code 509 is out of range"),
    ],
)
def test_each_malformed_class_has_its_own_structured_error(given, code, says):
    with pytest.raises(ApiNumberError) as caught:
        parse_api_number(given)
    assert caught.value.code == code
    assert says in caught.value.message
    assert caught.value.as_error() == {"field": "api_number", "message": caught.value.message}
    assert not is_valid_api_number(given)


def test_the_superscript_digit_is_a_structured_error_not_a_bare_value_error():
    """'²'.isdigit() is True and int('²') raises a bare ValueError: the parser must never get there."""
    with pytest.raises(ApiNumberError) as caught:
        parse_api_number("42-50\u00b2-20130")
    assert caught.value.code == "non-ascii-digit"
    assert "'\u00b2'" in caught.value.message


@pytest.mark.parametrize(
    ("given", "digits"),
    [("50120130", "42501201300000"), ("501-20130", "42501201300000"), ("42-501-20130", "42501201300000")],
)
def test_the_rrc_8_digit_form_needs_a_known_state(given, digits):
    assert parse_api_number(given, implied_state="42") == digits


def test_the_8_digit_form_still_checks_the_texas_county():
    with pytest.raises(ApiNumberError) as caught:
        parse_api_number("50220130", implied_state="42")
    assert caught.value.code == "texas-county-even"


def test_the_field_name_is_the_callers():
    with pytest.raises(ApiNumberError) as caught:
        parse_api_number("x", field="rows.3.api_number")
    assert caught.value.field == "rows.3.api_number"


def test_dashed_display():
    assert dashed("42501201300300") == "42-501-20130-03-00"
    assert dashed("4250120130") == "42-501-20130"
