"""An owner's federal tax identity: the TIN (SSN or EIN) and its validity, the IRS "B" notices, and whether a
payment to the owner is subject to backup withholding (IRC 3406; docs/1099.md).

A TIN is stored whole (the 1099 file needs it) and is only ever shown as its last four digits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from wellflow_texas import irs


class TinType(StrEnum):
    SSN = "ssn"  # also an ITIN or ATIN: Pub 1220 type of TIN 2
    EIN = "ein"  # Pub 1220 type of TIN 1


# IRS, "How EINs are assigned and valid EIN prefixes": the first two digits name the campus that assigned it.
_EIN_PREFIXES = frozenset(
    f"{n:02d}"
    for n in (
        *range(1, 7),
        *range(10, 17),
        *range(20, 28),
        *range(30, 49),
        *range(50, 69),
        *range(71, 78),
        *range(80, 89),
        *range(90, 96),
        98,
        99,
    )
)
# ITINs begin with 9 and carry 50-65, 70-88, 90-92 or 94-99 in digits 4-5 (IRS, "Individual Taxpayer
# Identification Number"); the SSA never issues an SSN with area 000, 666 or 900-999, group 00 or serial 0000.
_ITIN_GROUPS = frozenset(f"{n:02d}" for n in (*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)))


def tin_problem(digits: str, tin_type: TinType) -> str | None:
    """Why nine digits cannot be a TIN of this type, or None when they can."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return "a TIN has nine digits, e.g. 12-3456789 (EIN) or 123-45-6789 (SSN)"
    if tin_type is TinType.EIN:
        if digits[:2] not in _EIN_PREFIXES:
            return f"no EIN begins with {digits[:2]} (not a prefix the IRS assigns)"
        return None
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area.startswith("9"):
        return None if group in _ITIN_GROUPS else "an ITIN (9xx) has 50-65, 70-88, 90-92 or 94-99 as digits 4-5"
    if area in ("000", "666") or group == "00" or serial == "0000":
        return "not an SSN the Social Security Administration issues (area 000 or 666, group 00, serial 0000)"
    return None


def guess_tin_type(written: str, *, individual: bool) -> TinType:
    """An EIN is written 12-3456789, an SSN 123-45-6789; nine bare digits are an individual's SSN or a company's
    EIN."""
    stripped = written.strip()
    if len(stripped) == 10 and stripped[2] == "-":
        return TinType.EIN
    if len(stripped) == 11 and stripped[3] == "-" and stripped[6] == "-":
        return TinType.SSN
    return TinType.SSN if individual else TinType.EIN


def mask_tin(digits: str | None) -> str | None:
    return None if not digits else "***-**-" + digits[-4:]


@dataclass(frozen=True)
class TaxIdentity:
    """What decides backup withholding for a payee."""

    tin: str | None
    tin_type: TinType | None = None
    b_notice_on: date | None = None  # the last "B" notice (CP2100/972CG) naming this payee's TIN as incorrect
    certified_on: date | None = None  # the last Form W-9 (or, after a second notice, SSA/IRS validation) received
    second_b_notice: bool = False  # two notices within three calendar years (Pub 1220: B record position 544)
    exempt: bool = False  # an exempt payee (e.g. a corporation, W-9 exempt payee code): no 1099, no withholding


def backup_withholding_reason(identity: TaxIdentity) -> str | None:
    """Why payments to this payee are subject to backup withholding (IRC 3406(a)(1)), or None.

    A missing TIN (3406(a)(1)(A)); an IRS notice that the TIN is incorrect (3406(a)(1)(B)) until the payee
    certifies again after the notice (a new W-9; after a second notice, the SSA's or IRS's validation)."""
    if identity.exempt:
        return None
    if not identity.tin:
        return "tin-missing"
    if identity.b_notice_on is not None and (
        identity.certified_on is None or identity.certified_on <= identity.b_notice_on
    ):
        return "b-notice"
    return None


def backup_withholding_for(identity: TaxIdentity, reportable: Decimal, *, payable: Decimal | None = None) -> Decimal:
    """What to withhold from a payment whose reportable (gross) amount is ``reportable``: 24% of it (IRC 3406,
    ``wellflow_texas.irs``) when the payee is subject, else 0.00. A payer can withhold only what it pays: with
    ``payable`` (the net before withholding) the withholding is capped at it."""
    if backup_withholding_reason(identity) is None:
        return Decimal("0.00")
    withheld = irs.backup_withholding(reportable)
    if payable is not None:
        withheld = max(Decimal("0.00"), min(withheld, payable))
    return withheld
