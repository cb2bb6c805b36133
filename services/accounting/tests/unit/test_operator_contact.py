"""The operator as statements print it: every contact item or "not set", and file names people can read."""

from __future__ import annotations

from wellflow_accounting.domain.operator import operator_contact, slug, statement_file_name

PROFILE = {
    "name": "Caprock Energy",
    "legal_name": "Caprock Energy LLC",
    "address_line1": "410 N Main St",
    "address_line2": None,
    "city": "Big Spring",
    "state": "TX",
    "postal_code": "79720",
    "phone": "432-555-0142",
}


def test_a_full_profile_prints_name_address_and_phone_with_nothing_missing():
    contact = operator_contact(PROFILE)
    assert contact.lines() == [
        ("Operator", "Caprock Energy LLC"),
        ("Address", "410 N Main St, Big Spring, TX 79720"),
        ("Telephone", "432-555-0142"),
    ]
    assert contact.missing == [] and contact.notice is None


def test_an_incomplete_address_is_not_set_rather_than_a_run_of_commas():
    contact = operator_contact({**PROFILE, "city": None, "phone": "", "legal_name": None})
    assert contact.address is None and contact.missing == ["legal_name", "mailing_address", "phone"]
    assert dict(contact.lines())["Address"] == "mailing address not set"
    assert dict(contact.lines())["Operator"] == "Caprock Energy"  # the everyday name stands in
    assert "Organization page" in (contact.notice or "")


def test_no_profile_received_says_not_set_for_every_contact_item():
    contact = operator_contact(None)
    assert [value for _, value in contact.lines()] == [
        "name not set",
        "mailing address not set",
        "telephone not set",
    ]


def test_file_names_read_as_who_to_whom_what_and_when():
    contact = operator_contact(PROFILE)
    assert statement_file_name(contact, "owner", "1042", "statement", "11/2026") == (
        "caprock-energy-owner-1042-statement-2026-11"
    )
    assert statement_file_name(operator_contact(None), "partner", None, "jib", "03/2026") == (
        "partner-unnumbered-jib-2026-03"
    )
    assert slug('Peña & Sons, "Ltd." <b>') == "pena-sons-ltd-b"
