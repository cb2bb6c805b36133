"""Form PR (Monthly Production Report) code tables and identifier rules of the Texas Railroad Commission.

Sources: RRC "Form PR Instructions" and the RRC online filing training material (disposition codes, the
2021 replacement of code 04 "vented or flared" by 10 flared and 11 vented with an authority remark), RRC
district list, Form P-5 (6-digit operator number). Secondary: public parsers of the RRC production data dump.

Codes per product (``DISPOSITION_CODES_BY_PRODUCT``). Source: the RRC's "Production Data Query Dump" data
dictionary, whose lease disposition columns exist per product exactly for the codes the Form PR allows it:
LEASE_OIL_DISPCD00..09 (oil: 00-09; 09 is oil that left the lease entrained in casinghead gas to a gas
processing plant, "scrubber oil"), LEASE_COND_DISPCD00..08 (condensate: 00-08, no 09),
LEASE_CSGD_DISPCDE01..08 (casinghead gas: 01-08, no 09) and LEASE_GAS_DISPCD01..09 (gas well gas: 01-09; 09 is
gas well gas lost to shrinkage in lease separation). Code 04 of both gases ("vented or flared") was replaced on
the form by 10 flared and 11 vented (RRC, "RRC Adopts Revisions to Form PR", 2 March 2021), so both gases
take 01-03, 05-08, 10, 11 and gas well gas also 09. [A: RRC data dictionary and notice; B: public parsers]

The 10/11 authority (same notice): one or more two-letter codes in the form's REMARKS field: AR authorized by
rule, AE authorized by exception, EP exception pending, EX exempt. The notice fixes the codes and the field,
not a layout within REMARKS; WellFlow writes each as ``<disposition code> <authority>``, e.g. ``10 AR``.
"""

from __future__ import annotations

import re
from typing import Literal

from .api_number import dashed

# RRC districts (14). Written with a leading zero for 01..09 as the RRC prints them.
DISTRICTS: frozenset[str] = frozenset(
    {"01", "02", "03", "04", "05", "06", "6E", "7B", "7C", "08", "8A", "8B", "09", "10"}
)

# Oil and condensate disposition codes (Form PR instructions).
LIQUID_DISPOSITION_CODES: dict[str, str] = {
    "00": "pipeline",
    "01": "truck",
    "02": "tank car or barge",
    "03": "tank cleaning / lease use adjustment",
    "04": "circulating oil",
    "05": "lost (spill; 5 BBL or more needs Form H-8)",
    "06": "tank-cleaning BS&W",
    "07": "other (stock adjustments, theft)",
    "08": "via saltwater gathering (skim oil)",
    "09": "scrubber oil to a gas plant",
}

# Gas disposition codes (casinghead and gas well gas). 04 (vented or flared) was retired in 2021.
GAS_DISPOSITION_CODES: dict[str, str] = {
    "01": "lease fuel / field operations",
    "02": "transmission line",
    "03": "processing plant",
    "05": "gas lift",
    "06": "repressure / pressure maintenance",
    "07": "carbon black",
    "08": "underground storage",
    "09": "lease separation shrinkage (gas well gas)",
    "10": "flared",
    "11": "vented",
}

FLARE_VENT_CODES: frozenset[str] = frozenset({"10", "11"})

# The codes the Form PR allows for each product (see the module docstring for the source).
_GAS_CODES = frozenset({"01", "02", "03", "05", "06", "07", "08", "10", "11"})
DISPOSITION_CODES_BY_PRODUCT: dict[str, frozenset[str]] = {
    "oil": frozenset({"00", "01", "02", "03", "04", "05", "06", "07", "08", "09"}),
    "condensate": frozenset({"00", "01", "02", "03", "04", "05", "06", "07", "08"}),
    "casinghead_gas": _GAS_CODES,
    "gas_well_gas": _GAS_CODES | {"09"},
}

# Authority remark required on every 10/11 disposition.
FLARE_AUTHORITIES: dict[str, str] = {
    "AR": "by rule",
    "AE": "by exception",
    "EP": "exception pending",
    "EX": "exempt",
}


def code_allowed(product: str, code: str) -> bool:
    """Whether the Form PR allows disposition ``code`` for ``product`` (oil, condensate, casinghead_gas,
    gas_well_gas)."""
    return code in DISPOSITION_CODES_BY_PRODUCT.get(product, frozenset())


def authority_remark(code: str, authority: str) -> str:
    """The REMARKS entry for a 10/11 disposition: ``10 AR`` (the code, then its two-letter authority)."""
    return f"{code} {authority}"


# A spill of this many barrels or more needs Form H-8 (disposition 05).
H8_THRESHOLD_BBL = 5

# [0-9], never \d: \d also matches Arabic-Indic and other Unicode digits.
OPERATOR_NUMBER = re.compile(r"^[0-9]{6}$")  # Form P-5 (also a purchaser's or gatherer's P-5 number on Form P-4)
LEASE_NUMBER = re.compile(r"^[0-9A-Z]{1,6}$")  # up to 6 characters, unique within a district
# Texas, stored form: state code 42; 10, 12 or 14 digits. Parsing input: wellflow_texas.api_number.
API_NUMBER = re.compile(r"^42[0-9]{8}([0-9]{2}){0,2}$")
PERMIT_NUMBER = re.compile(r"^[0-9]{1,7}$")  # drilling permit number (W-1)

Product = Literal["oil", "casinghead_gas", "gas_well_gas", "condensate"]

# Numeric district codes for electronic filing: the 14 districts numbered 01-14 in the RRC's order, so 6E is
# 07, 7B 08, 7C 09, 08 10, 8A 11, 8B 12, 09 13 and 10 14. Source [B]: the district values of the RRC's
# Production Data Query web form (DISTRICT_NO), as public scrapers of that form record them (01-06, 6E=07,
# 7B=08, 7C=09, 08=10, 8A=11, 09=13, 10=14); 8B=12 follows from the sequence and was not seen in a source.
# UNCONFIRMED against the RRC's EDI layout for Form PR (not available to us): confirm before filing by EDI.
DISTRICT_NUMBERS: dict[str, str] = {
    district: f"{n:02d}"
    for n, district in enumerate(
        ("01", "02", "03", "04", "05", "06", "6E", "7B", "7C", "08", "8A", "8B", "09", "10"), 1
    )
}


def district_number(district: str) -> str:
    """The numeric (01-14) code of an RRC district, e.g. ``8A`` -> ``11``; KeyError for anything else."""
    return DISTRICT_NUMBERS[district]


def is_valid_p5_number(value: str | None) -> bool:
    """A purchaser's, gatherer's or operator's Form P-5 organization number: exactly 6 ASCII digits."""
    return is_valid_operator_number(value)


def normalize_district(value: str) -> str:
    """``8a`` -> ``8A``, ``8`` -> ``08``; raises ValueError for anything that is not one of the 14."""
    text = value.strip().upper()
    if len(text) == 1 and text.isdigit():
        text = "0" + text
    if text not in DISTRICTS:
        raise ValueError(f"{value!r} is not an RRC district (01-10, 6E, 7B, 7C, 8A, 8B)")
    return text


def is_valid_district(value: str | None) -> bool:
    return value is not None and value in DISTRICTS


def is_valid_operator_number(value: str | None) -> bool:
    return value is not None and bool(OPERATOR_NUMBER.match(value))


def is_valid_lease_number(value: str | None) -> bool:
    return value is not None and bool(LEASE_NUMBER.match(value))


def products_for(lease_type: Literal["oil", "gas"]) -> tuple[Product, Product]:
    """(liquid, gas) reported for a lease: oil leases oil + casinghead gas, gas wells condensate + gas well gas."""
    return ("oil", "casinghead_gas") if lease_type == "oil" else ("condensate", "gas_well_gas")


def format_api_number(digits: str) -> str:
    """``42501201300300`` -> ``42-501-20130-03-00`` (as people write it)."""
    return dashed(digits)
