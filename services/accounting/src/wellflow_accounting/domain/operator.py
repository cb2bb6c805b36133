"""The operator as statements print it, and the names of the files people download.

Texas Natural Resources Code 91.502 (docs/domain.md, "Check stub"): a payment to a royalty owner shows, among
twelve items, "a contact address and phone" (item 12). WellFlow prints the organization's profile (its copy of
identity's ``identity.organization_updated.v1``): the legal name, the mailing address and the phone, and says
"not set" for what the office has not filled in, so a missing item is seen before a statement goes out instead
of printing as a blank and a comma.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NOT_SET = "not set"
WHERE_TO_SET = "the owner fills it in on WellFlow's Organization page"
LABELS = {"legal_name": "legal name", "mailing_address": "mailing address", "phone": "telephone"}


@dataclass(frozen=True)
class OperatorContact:
    """What a statement says about the operator; None where the profile does not say."""

    name: str | None
    address: str | None
    phone: str | None
    email: str | None
    rrc_operator_number: str | None
    short_name: str | None  # the name people use (file names)
    has_legal_name: bool = False  # ``name`` is the legal name (else the everyday name, or None)
    logo: bytes | None = None
    logo_content_type: str | None = None

    @property
    def missing(self) -> list[str]:
        """The check-stub contact items not set (name, address, phone), in that order."""
        values = {"legal_name": self.has_legal_name, "mailing_address": self.address, "phone": self.phone}
        return [key for key, value in values.items() if not value]

    @property
    def notice(self) -> str | None:
        if not self.missing:
            return None
        names = ", ".join(LABELS[key] for key in self.missing)
        return f"Operator {names} {NOT_SET}: {WHERE_TO_SET}."

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a document: every item is printed, a missing one as "not set"."""
        shown = [
            ("Operator", self.name or f"name {NOT_SET}"),
            ("Address", self.address or f"mailing address {NOT_SET}"),
            ("Telephone", self.phone or f"telephone {NOT_SET}"),
        ]
        if self.email:
            shown.append(("Email", self.email))
        if self.rrc_operator_number:
            shown.append(("RRC operator number", self.rrc_operator_number))
        return shown

    def answer(self) -> dict[str, Any]:
        """The JSON form (the logo stays out: the console reads it from the organization's profile)."""
        return {
            "name": self.name,
            "address": self.address,
            "phone": self.phone,
            "email": self.email,
            "rrc_operator_number": self.rrc_operator_number,
            "missing": self.missing,
            "notice": self.notice,
        }


def mailing_address(row: Mapping[str, Any]) -> str | None:
    """``410 N Main St, Suite 200, Midland, TX 79701``, or None unless street, city, state and ZIP are all set."""
    line1, line2 = row.get("address_line1"), row.get("address_line2")
    city, state, postal = row.get("city"), row.get("state"), row.get("postal_code")
    if not (line1 and city and state and postal):
        return None
    return ", ".join(part for part in (line1, line2, city, f"{state} {postal}") if part)


def operator_contact(row: Mapping[str, Any] | None) -> OperatorContact:
    """The contact from the profile copy; with none received yet, every item is "not set". Without a legal
    name the everyday name is printed (and the legal name reported missing)."""
    if row is None:
        return OperatorContact(None, None, None, None, None, None)
    return OperatorContact(
        name=row.get("legal_name") or row.get("name") or None,
        address=mailing_address(row),
        phone=row.get("phone") or None,
        email=row.get("email") or None,
        rrc_operator_number=row.get("rrc_operator_number") or None,
        short_name=row.get("name") or row.get("legal_name") or None,
        has_legal_name=bool(row.get("legal_name")),
        logo=bytes(row["logo"]) if row.get("logo") is not None else None,
        logo_content_type=row.get("logo_content_type"),
    )


def slug(text: str | None) -> str:
    """``Caprock Energy, LLC`` -> ``caprock-energy-llc``: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def statement_file_name(operator: OperatorContact, party: str, number: str | None, kind: str, month: str) -> str:
    """``caprock-energy-owner-1042-statement-2026-11``: who sends it, to whom, what and which month
    (``month`` as ``MM/YYYY``); the extension is the caller's."""
    mm, yyyy = month.split("/")
    parts = [slug(operator.short_name), party, slug(number) or "unnumbered", kind, f"{yyyy}-{mm}"]
    return "-".join(part for part in parts if part)
