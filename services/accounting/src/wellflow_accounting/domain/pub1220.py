"""The IRS electronic filing file for Forms 1099-MISC and 1099-NEC, in the layout of IRS Publication 1220
("Specifications for Electronic Filing of Forms 1097, 1098, 1099, 3921, 3922, 5498 and W-2G"): fixed records of
750 characters, T (transmitter), then per payer and type of return an A (payer), its B (payee) records, a C
(end of payer) and, under the Combined Federal/State Filing Program, one K (state totals) per state; F ends the
file. Positions below are Pub 1220's, 1-based and inclusive, so each line reads against the publication
(docs/1099.md lists what was checked and what was not)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .form1099 import Form
from .tax_identity import TinType

RECORD = 750
AMOUNT_CODES = "123456789ABCDEFGHJ"  # the 18 payment amount fields, B positions 55-270, 12 characters each
TYPE_OF_RETURN = {Form.MISC: "A ", Form.NEC: "NE"}
# Combined Federal/State Filing Program: the states' codes (Pub 1220, Part A, "Combined Federal/State Filing").
CFSF_STATE_CODES = {
    "AL": "01", "AZ": "04", "AR": "05", "CA": "06", "CO": "07", "CT": "08", "DE": "10", "DC": "11", "GA": "13",
    "HI": "15", "ID": "16", "IN": "18", "KS": "20", "LA": "22", "ME": "23", "MD": "24", "MA": "25", "MI": "26",
    "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31", "NJ": "34", "NM": "35", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "RI": "44", "SC": "45", "VT": "50", "VA": "51", "WI": "55",
}  # fmt: skip

_NAME = re.compile(r"[^A-Z0-9&\- ]")
_ADDRESS = re.compile(r"[^A-Z0-9&\-/#., ]")


@dataclass(frozen=True)
class Transmitter:
    tin: str
    tcc: str  # Transmitter Control Code, 5 characters, assigned by the IRS
    name: str
    address: str
    city: str
    state: str
    zip_code: str
    contact_name: str
    contact_phone: str
    contact_email: str = ""
    test: bool = False


@dataclass(frozen=True)
class Payer:
    tin: str
    name: str
    address: str
    city: str
    state: str
    zip_code: str
    phone: str
    name_control: str = ""


@dataclass(frozen=True)
class PayeeReturn:
    form: Form
    tin: str
    tin_type: TinType | None
    name: str
    address: str
    city: str
    state: str
    zip_code: str
    account: str  # the payer's account number for the payee: WellFlow's owner number
    amounts: Mapping[str, Decimal] = field(default_factory=dict)  # amount code -> dollars
    corrected: str = ""  # "" original, "G" one-step or first of two-step correction, "C" second of two-step
    second_tin_notice: bool = False


class _Record:
    def __init__(self, kind: str) -> None:
        self.chars = [" "] * RECORD
        self.put(1, 1, kind)
        self.put(749, 750, "\r\n")

    def put(self, start: int, end: int, text: str) -> None:
        width = end - start + 1
        if len(text) > width:
            raise ValueError(f"{text!r} does not fit positions {start}-{end}")
        self.chars[start - 1 : end] = list(text.ljust(width))

    def number(self, start: int, end: int, value: int) -> None:
        if value < 0:
            raise ValueError(f"Pub 1220 amounts are unsigned; got {value} for positions {start}-{end}")
        self.put(start, end, str(value).rjust(end - start + 1, "0"))

    def text(self, start: int, end: int, value: str, pattern: re.Pattern[str] = _NAME) -> None:
        cleaned = pattern.sub("", value.upper().encode("ascii", "ignore").decode())
        self.put(start, end, " ".join(cleaned.split())[: end - start + 1])

    def encode(self) -> bytes:
        return "".join(self.chars).encode("ascii")


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _zip(record: _Record, start: int, value: str) -> None:
    record.put(start, start + 8, _digits(value)[:9])


def transmitter_record(year: int, t: Transmitter, payees: int, *, prior_year: bool) -> _Record:
    r = _Record("T")
    r.put(2, 5, f"{year:04d}")
    r.put(6, 6, "P" if prior_year else " ")
    r.put(7, 15, _digits(t.tin))
    r.put(16, 20, t.tcc.upper())
    r.put(28, 28, "T" if t.test else " ")
    r.text(30, 69, t.name)
    r.text(110, 149, t.name)
    r.text(190, 229, t.address, _ADDRESS)
    r.text(230, 269, t.city)
    r.put(270, 271, t.state.upper())
    _zip(r, 272, t.zip_code)
    r.number(296, 303, payees)
    r.text(304, 343, t.contact_name)
    r.put(344, 358, _digits(t.contact_phone)[:15])
    r.put(359, 408, t.contact_email[:50])
    r.put(518, 518, "I")  # in-house software: the vendor fields 519-704 stay blank
    return r


def payer_record(year: int, p: Payer, form: Form, codes: str, *, cfsf: bool) -> _Record:
    r = _Record("A")
    r.put(2, 5, f"{year:04d}")
    r.put(6, 6, "1" if cfsf else " ")
    r.put(12, 20, _digits(p.tin))
    r.put(21, 24, p.name_control.upper()[:4])
    r.put(26, 27, TYPE_OF_RETURN[form])
    r.put(28, 45, codes)
    r.text(53, 92, p.name)
    r.put(133, 133, "0")  # no transfer agent
    r.text(134, 173, p.address, _ADDRESS)
    r.text(174, 213, p.city)
    r.put(214, 215, p.state.upper())
    _zip(r, 216, p.zip_code)
    r.put(225, 239, _digits(p.phone)[:15])
    return r


def payee_record(year: int, b: PayeeReturn, *, cfsf: bool) -> _Record:
    r = _Record("B")
    r.put(2, 5, f"{year:04d}")
    r.put(6, 6, b.corrected)
    r.put(11, 11, {TinType.EIN: "1", TinType.SSN: "2", None: " "}[b.tin_type])
    r.put(12, 20, _digits(b.tin))
    r.text(21, 40, b.account)
    amounts = [cents(b.amounts[code]) if code in b.amounts else 0 for code in AMOUNT_CODES]
    if any(not 0 <= amount < 10**12 for amount in amounts):
        raise ValueError(f"an amount of {b.account} does not fit 12 digits of cents (positions 55-270), or is negative")
    r.put(55, 270, "".join(f"{amount:012d}" for amount in amounts))  # 18 amounts of 12 digits, codes 1-9, A-H, J
    r.text(288, 327, b.name)
    r.text(368, 407, b.address, _ADDRESS)
    r.text(448, 487, b.city)
    r.put(488, 489, b.state.upper())
    _zip(r, 490, b.zip_code)
    r.put(544, 544, "2" if b.second_tin_notice else " ")
    if cfsf and b.state.upper() in CFSF_STATE_CODES:
        r.put(747, 748, CFSF_STATE_CODES[b.state.upper()])
    return r


def _totals(returns: Iterable[PayeeReturn]) -> dict[str, int]:
    totals = dict.fromkeys(AMOUNT_CODES, 0)
    for b in returns:
        for code, amount in b.amounts.items():
            totals[code] += cents(amount)
    return totals


def totals_record(kind: str, returns: Sequence[PayeeReturn], *, state_code: str = "") -> _Record:
    """C (end of payer) or K (state totals): the count of B records and the 18 control totals, positions 16-339."""
    r = _Record(kind)
    r.number(2, 9, len(returns))
    for index, (_code, total) in enumerate(_totals(returns).items()):
        start = 16 + 18 * index
        r.number(start, start + 17, total)
    if kind == "K":
        r.number(707, 724, 0)  # state income tax withheld: WellFlow withholds none
        r.number(725, 742, 0)  # local income tax withheld
        r.put(747, 748, state_code)
    return r


def end_record(payer_records: int, payees: int) -> _Record:
    r = _Record("F")
    r.number(2, 9, payer_records)
    r.put(10, 30, "0" * 21)
    r.number(50, 57, payees)
    return r


def amount_codes(form: Form, returns: Iterable[PayeeReturn]) -> str:
    """The amount codes used, in Pub 1220's order (a correction that zeroes every amount keeps the form's main
    code)."""
    used = {code for b in returns for code, amount in b.amounts.items() if amount}
    return "".join(code for code in AMOUNT_CODES if code in used) or ("2" if form is Form.MISC else "1")


def write_file(
    year: int,
    transmitter: Transmitter,
    payer: Payer,
    returns: Sequence[PayeeReturn],
    *,
    combined_federal_state: bool = False,
    prior_year: bool = False,
) -> bytes:
    """The whole file: T, then per type of return A, B..., C (and K per CF/SF state), then F. Each record's
    record sequence number (positions 500-507) counts from 1 at the T record."""
    groups = [(form, [b for b in returns if b.form is form]) for form in (Form.MISC, Form.NEC)]
    groups = [(form, group) for form, group in groups if group]
    records = [transmitter_record(year, transmitter, len(returns), prior_year=prior_year)]
    for form, group in groups:
        records.append(payer_record(year, payer, form, amount_codes(form, group), cfsf=combined_federal_state))
        records.extend(payee_record(year, b, cfsf=combined_federal_state) for b in group)
        records.append(totals_record("C", group))
        if combined_federal_state:
            for state, code in sorted(CFSF_STATE_CODES.items(), key=lambda item: item[1]):
                in_state = [b for b in group if b.state.upper() == state]
                if in_state:
                    records.append(totals_record("K", in_state, state_code=code))
    records.append(end_record(len(groups), len(returns)))
    for sequence, record in enumerate(records, start=1):
        record.number(500, 507, sequence)
    return b"".join(record.encode() for record in records)
