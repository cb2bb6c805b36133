"""API well numbers: accepted forms normalise to 14 digits and display dashed; each structural fault is named."""

from __future__ import annotations

import pytest

from wellflow_wells.domain.api_number import ApiNumber
from wellflow_wells.domain.errors import InvalidApiNumber


@pytest.mark.parametrize(
    ("given", "digits", "dashed"),
    [
        ("42-501-20130-03-00", "42501201300300", "42-501-20130-03-00"),
        ("42501201300300", "42501201300300", "42-501-20130-03-00"),
        ("4250120130", "42501201300000", "42-501-20130-00-00"),
        ("42-501-20130", "42501201300000", "42-501-20130-00-00"),
        ("425012013001", "42501201300100", "42-501-20130-01-00"),
        ("42-001-00001-00-00", "42001000010000", "42-001-00001-00-00"),  # Anderson, the first county
        ("42-507-99999-00-00", "42507999990000", "42-507-99999-00-00"),  # Zavala, the last
        (" 42-123-45678-00-00 ", "42123456780000", "42-123-45678-00-00"),
        ("51-001-12345", "51001123450000", "51-001-12345-00-00"),  # Hawaii: D12A 51
        ("60-710-12345", "60710123450000", "60-710-12345-00-00"),  # northern Gulf of Mexico
        ("35-017-12345", "35017123450000", "35-017-12345-00-00"),  # Oklahoma: no Texas county rule
        ("35-018-12345", "35018123450000", "35-018-12345-00-00"),  # even county outside Texas is fine
    ],
)
def test_valid_numbers_normalise_and_display_dashed(given, digits, dashed):
    api = ApiNumber.parse(given)
    assert api.digits == digits
    assert api.dashed == dashed == str(api)


@pytest.mark.parametrize(
    ("given", "names"),
    [
        ("", "empty"),
        ("42-501-2013A", "only the digits 0-9"),
        ("42 123 45678 00 00", "space inside"),
        ("42-501-2013\u00b2", "not one of the digits 0-9"),
        ("\u0664\u0662501201300300", "not one of the digits 0-9"),
        ("50120130", "8 digits"),
        ("425012013", "has 9 digits"),
        ("42501201300", "has 11 digits"),
        ("425012013003001", "has 15 digits"),
        ("99-501-20130", "unknown state code 99"),
        ("00-501-20130", "unknown state code 00"),
        ("42-502-20130", "county code 502 is even"),
        ("42-000-20130", "county code 000 is out of range"),
        ("42-509-20130", "county code 509 is out of range"),
        ("42-999-20130-00-00", "county code 999 is out of range"),
    ],
)
def test_invalid_numbers_say_which_part_is_wrong(given, names):
    with pytest.raises(InvalidApiNumber) as caught:
        ApiNumber.parse(given)
    assert names in caught.value.message
    assert caught.value.field == "api_number"
