"""Form PR checks the stand-in portal applies before it accepts a filing, as the RRC's online filing does.

The RRC publishes no API or schema for Form PR; these rules come from the form's instructions as summarised
in WellFlow's DOMAIN notes: a 6-digit operator number (Form P-5), a production month, one line per lease
identified by RRC district and lease number (or, for a lease still pending, a well's API or drilling permit
number), whole-number volumes, the balance of every liquid (beginning stock + production - dispositions =
ending stock), gas dispositions equal to gas production, disposition codes valid for the product, and an
authority remark (AR, AE, EP, EX) on every use of code 10 (flared) or 11 (vented).

Each reason names the line and product so a clerk can find it. Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

OPERATOR_NUMBER = re.compile(r"^\d{6}$")
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-01)?$")
DISTRICTS = frozenset({"01", "02", "03", "04", "05", "06", "6E", "7B", "7C", "08", "8A", "8B", "09", "10"})
LEASE_NUMBER = re.compile(r"^[A-Za-z0-9]{1,6}$")
# Texas is state code 42: state-county-well (10 digits), optionally sidetrack and event codes (12 or 14).
API_NUMBER = re.compile(r"^42-?\d{3}-?\d{5}(?:-?\d{2}){0,2}$")
PERMIT_NUMBER = re.compile(r"^\d{1,7}$")

LIQUIDS = frozenset({"oil", "condensate"})
GASES = frozenset({"casinghead_gas", "gas_well_gas"})
PRODUCTS_BY_LEASE_TYPE = {"oil": frozenset({"oil", "casinghead_gas"}), "gas": frozenset({"gas_well_gas", "condensate"})}
# Disposition codes per product (code 09 means scrubber oil for oil, lease separation shrinkage for gas
# well gas; 04 was replaced by 10 flared / 11 vented in 2021).
CODES = {
    "oil": frozenset({"00", "01", "02", "03", "04", "05", "06", "07", "08", "09"}),
    "condensate": frozenset({"00", "01", "02", "03", "04", "05", "06", "07", "08"}),
    "casinghead_gas": frozenset({"01", "02", "03", "05", "06", "07", "08", "10", "11"}),
    "gas_well_gas": frozenset({"01", "02", "03", "05", "06", "07", "08", "09", "10", "11"}),
}
FLARE_VENT_CODES = frozenset({"10", "11"})
AUTHORITIES = frozenset({"AR", "AE", "EP", "EX"})
MAX_LINES = 5000


def _whole(value: Any) -> int | None:
    """A non-negative whole number given as a JSON integer or a string of digits; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def validate_form_pr(report: Any) -> list[str]:
    """Every reason the portal would refuse this Form PR; an empty list means it is accepted."""
    if not isinstance(report, Mapping):
        return ["The filing must be a JSON object."]
    reasons: list[str] = []
    operator = report.get("operator_number")
    if not isinstance(operator, str) or not OPERATOR_NUMBER.match(operator):
        reasons.append("Operator number must be the 6 digits of the operator's Form P-5 (e.g. 123456).")
    period = report.get("period")
    if not isinstance(period, str) or not PERIOD.match(period):
        reasons.append("Period must be the production month as YYYY-MM (e.g. 2026-07).")
    lines = report.get("lines")
    if not isinstance(lines, Sequence) or isinstance(lines, str) or not lines:
        reasons.append("The report must have at least one lease line.")
        return reasons
    if len(lines) > MAX_LINES:
        reasons.append(f"A report may have at most {MAX_LINES} lease lines.")
        return reasons
    seen: set[tuple[str, str]] = set()
    for index, line in enumerate(lines, start=1):
        reasons.extend(_validate_line(index, line, seen))
    return reasons


def _line_label(index: int, line: Mapping[str, Any]) -> str:
    district = line.get("district")
    if line.get("lease_number"):
        return f"Line {index} (district {district}, lease {line.get('lease_number')})"
    if line.get("api_number"):
        return f"Line {index} (API {line.get('api_number')})"
    if line.get("permit_number"):
        return f"Line {index} (permit {line.get('permit_number')})"
    return f"Line {index}"


def _validate_line(index: int, line: Any, seen: set[tuple[str, str]]) -> list[str]:
    if not isinstance(line, Mapping):
        return [f"Line {index}: must be a JSON object."]
    label = _line_label(index, line)
    reasons: list[str] = []
    district = line.get("district")
    if district not in DISTRICTS:
        reasons.append(f"{label}: district must be one of the RRC's 14 districts ({', '.join(sorted(DISTRICTS))}).")
    lease_number, api_number, permit = line.get("lease_number"), line.get("api_number"), line.get("permit_number")
    if lease_number:
        if not isinstance(lease_number, str) or not LEASE_NUMBER.match(lease_number):
            reasons.append(f"{label}: lease number must be 1 to 6 letters or digits.")
        key = ("lease", f"{district}/{lease_number}")
    elif api_number:
        if not isinstance(api_number, str) or not API_NUMBER.match(api_number):
            reasons.append(
                f"{label}: a pending lease's API number must be a Texas API number (42-XXX-XXXXX, optionally -XX-XX)."
            )
        key = ("api", str(api_number).replace("-", "")[:10])
    elif permit:
        if not isinstance(permit, str) or not PERMIT_NUMBER.match(permit):
            reasons.append(f"{label}: a drilling permit number must be up to 7 digits.")
        key = ("permit", str(permit))
    else:
        reasons.append(f"{label}: needs an RRC lease number, or for a pending lease an API or drilling permit number.")
        key = ("line", str(index))
    if key in seen:
        reasons.append(f"{label}: the same lease is reported twice; a report has one line per lease.")
    seen.add(key)

    lease_type = line.get("lease_type")
    allowed = PRODUCTS_BY_LEASE_TYPE.get(lease_type) if isinstance(lease_type, str) else None
    if allowed is None:
        reasons.append(f"{label}: lease type must be oil or gas.")
    products = line.get("products")
    if not isinstance(products, Sequence) or isinstance(products, str) or not products:
        reasons.append(f"{label}: must report at least one product.")
        return reasons
    named: set[str] = set()
    for product in products:
        if not isinstance(product, Mapping):
            reasons.append(f"{label}: each product must be a JSON object.")
            continue
        name = product.get("product")
        if name not in CODES:
            reasons.append(f"{label}: unknown product {name!r} (oil, casinghead_gas, gas_well_gas, condensate).")
            continue
        if name in named:
            reasons.append(f"{label}: {name} is reported twice.")
        named.add(name)
        if allowed is not None and name not in allowed:
            kind = "an oil lease reports oil and casinghead gas" if lease_type == "oil" else None
            kind = kind or "a gas well reports gas well gas and condensate"
            reasons.append(f"{label}: {name} cannot be reported here; {kind}.")
        reasons.extend(_validate_product(label, name, product))
    return reasons


def _validate_product(label: str, name: str, product: Mapping[str, Any]) -> list[str]:
    reasons: list[str] = []
    where = f"{label}, {name.replace('_', ' ')}"
    production = _whole(product.get("production"))
    if production is None:
        reasons.append(f"{where}: production must be a whole, non-negative number.")
    total = 0
    dispositions = product.get("dispositions") or []
    if not isinstance(dispositions, Sequence) or isinstance(dispositions, str):
        return [*reasons, f"{where}: dispositions must be a list."]
    for disposition in dispositions:
        if not isinstance(disposition, Mapping):
            reasons.append(f"{where}: each disposition must be a JSON object.")
            continue
        code = disposition.get("code")
        volume = _whole(disposition.get("volume"))
        if code not in CODES[name]:
            reasons.append(f"{where}: disposition code {code!r} is not valid for {name.replace('_', ' ')}.")
        if volume is None:
            reasons.append(f"{where}: disposition {code} volume must be a whole, non-negative number.")
        else:
            total += volume
        if code in FLARE_VENT_CODES:
            authority = str(disposition.get("authority") or "").upper()
            if authority not in AUTHORITIES:
                what = "flared" if code == "10" else "vented"
                reasons.append(
                    f"{where}: gas {what} (code {code}) needs an authority remark: AR (by rule), AE (by exception), "
                    "EP (exception pending) or EX (exempt)."
                )
    if production is None:
        return reasons
    if name in LIQUIDS:
        beginning, ending = _whole(product.get("beginning_stock", 0)), _whole(product.get("ending_stock", 0))
        if beginning is None or ending is None:
            reasons.append(f"{where}: beginning and ending stock must be whole, non-negative numbers.")
        elif beginning + production - total != ending:
            reasons.append(
                f"{where}: does not balance: beginning stock {beginning} + production {production} - dispositions "
                f"{total} = {beginning + production - total}, but ending stock is {ending}."
            )
    elif total != production:
        reasons.append(f"{where}: gas is not stored, so dispositions ({total}) must equal production ({production}).")
    return reasons
