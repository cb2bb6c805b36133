"""Form PR (Monthly Production Report) code tables and identifier rules of the Texas Railroad Commission.

Sources: RRC "Form PR Instructions" and the RRC online filing training material (disposition codes, the
2021 replacement of code 04 "vented or flared" by 10 flared and 11 vented with an authority remark), RRC
district list, Form P-5 (6-digit operator number). Secondary: public parsers of the RRC production data dump.
"""

from __future__ import annotations

import re
from typing import Literal

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

# Authority remark required on every 10/11 disposition.
FLARE_AUTHORITIES: dict[str, str] = {
    "AR": "by rule",
    "AE": "by exception",
    "EP": "exception pending",
    "EX": "exempt",
}

# A spill of this many barrels or more needs Form H-8 (disposition 05).
H8_THRESHOLD_BBL = 5

OPERATOR_NUMBER = re.compile(r"^\d{6}$")  # Form P-5
LEASE_NUMBER = re.compile(r"^[0-9A-Z]{1,6}$")  # up to 6 characters, unique within a district
API_NUMBER = re.compile(r"^42\d{8}(\d{2}){0,2}$")  # Texas: state code 42; 10, 12 or 14 digits
PERMIT_NUMBER = re.compile(r"^\d{1,7}$")  # drilling permit number (W-1)

Product = Literal["oil", "casinghead_gas", "gas_well_gas", "condensate"]


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
    parts = [digits[0:2], digits[2:5], digits[5:10], digits[10:12], digits[12:14]]
    return "-".join(part for part in parts if part)
