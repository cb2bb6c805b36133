"""Partners and owners: who WellFlow pays and bills, and how a tax id is shown."""

from __future__ import annotations

from enum import StrEnum


class PartnerKind(StrEnum):
    COMPANY = "company"
    INDIVIDUAL = "individual"


class PartnerRole(StrEnum):
    WORKING_INTEREST = "working_interest_partner"
    ROYALTY = "royalty_owner"
    ORRI = "orri_owner"
    PURCHASER = "purchaser"
    VENDOR = "vendor"


class PaymentMethod(StrEnum):
    CHECK = "check"
    ACH = "ach"
    WIRE = "wire"


def mask_tax_id(tax_id: str | None) -> str | None:
    """Only the last four digits of an SSN or EIN are ever shown (``***-**-6789``)."""
    if not tax_id:
        return None
    digits = "".join(ch for ch in tax_id if ch.isdigit())
    return "***-**-" + digits[-4:] if len(digits) >= 4 else "****"


def normalize_tax_id(tax_id: str) -> str:
    """An SSN or EIN is nine digits, however it is punctuated."""
    digits = "".join(ch for ch in tax_id if ch.isdigit())
    if len(digits) != 9 or len(digits) != len(tax_id.replace("-", "").replace(" ", "")):
        raise ValueError("a tax id (SSN or EIN) has nine digits, e.g. 12-3456789 or 123-45-6789")
    return digits
