"""NACHA ACH files of credits: the 94-character records written by hand (docs/payments.md#nacha-layout).

A file is a file header (record type 1), one batch per Standard Entry Class (PPD for individuals, CCD for
companies) each made of a batch header (5), entry details (6) and a batch control (8), then a file control (9),
and records of nines until the count of records is a multiple of the blocking factor, ten. Credits only:
service class 220, transaction codes 22 (checking) and 32 (savings), and their prenotes 23 and 33 with a
zero amount. Alphanumeric fields are upper case, left-justified and blank-filled; numeric fields are
right-justified and zero-filled. The routing number's check digit is the ABA's (weights 3, 7, 1)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

RECORD_SIZE = 94
BLOCKING_FACTOR = 10
SERVICE_CLASS_CREDITS = "220"
MAX_AMOUNT = Decimal("99999999.99")  # ten digits of cents in an entry
HASH_DIGITS = 10
ZERO_AMOUNT = Decimal("0.00")  # a prenote's amount


class AccountType(StrEnum):
    CHECKING = "checking"
    SAVINGS = "savings"


# transaction codes: (live credit, prenote of a credit)
TRANSACTION_CODES = {AccountType.CHECKING: ("22", "23"), AccountType.SAVINGS: ("32", "33")}


class AchError(ValueError):
    """Input that cannot be written in a NACHA file: ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def routing_number_valid(routing: str) -> bool:
    """Nine digits whose weighted sum (3, 7, 1, 3, 7, 1, 3, 7, 1) is a multiple of ten (the ABA check digit)."""
    if len(routing) != 9 or not routing.isdigit():
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(routing, weights, strict=True)) % 10 == 0


def routing_problem(routing: str) -> str | None:
    """Why ``routing`` is not a US routing number, in words a person can act on; None when it is one."""
    if len(routing) != 9 or not routing.isdigit():
        return "a routing number has nine digits"
    if not routing_number_valid(routing):
        return "not a valid routing number: its check digit (the ninth digit) does not match (ABA 3-7-1)"
    return None


def _text(value: str, size: int) -> str:
    """Alphanumeric: ASCII upper case (accents dropped), left-justified, blank-filled, cut to ``size``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    cleaned = "".join(ch if " " <= ch <= "~" else " " for ch in ascii_text).upper()
    return cleaned[:size].ljust(size)


def _number(value: int, size: int) -> str:
    text = str(value)
    if value < 0 or len(text) > size:
        raise AchError("amount", f"{value} does not fit {size} digits")
    return text.rjust(size, "0")


def _cents(amount: Decimal) -> int:
    if amount != amount.quantize(Decimal("0.01")):
        raise AchError("amount", f"{amount} is not a whole number of cents")
    return int(amount * 100)


@dataclass(frozen=True, slots=True)
class Originator:
    """The operator's bank (the ODFI) and the operator as its bank knows it: organization settings."""

    immediate_destination: str  # the ODFI's routing number (9 digits), written " " + 9 digits
    immediate_destination_name: str
    immediate_origin: str  # 10 characters the bank assigns (often "1" + EIN); a 9-digit one is written " " + 9
    immediate_origin_name: str
    company_name: str
    company_id: str
    odfi_routing: str
    entry_description: str = "ROYALTY"


@dataclass(frozen=True, slots=True)
class Entry:
    """One credit (or a prenote: zero amount) to a receiver's account."""

    key: str  # the caller's id of the entry (a payment id): trace numbers are answered by it
    is_company: bool  # CCD for companies, PPD for individuals
    routing: str
    account: str
    account_type: AccountType
    amount: Decimal
    identification: str  # the receiver's number with the operator (the owner number), up to 15 characters
    name: str
    prenote: bool = False


@dataclass(frozen=True, slots=True)
class BatchTotals:
    sec: str
    entries: int
    entry_hash: int
    credit_cents: int


@dataclass(frozen=True, slots=True)
class AchFile:
    text: str
    traces: dict[str, str]  # entry key -> trace number
    batches: tuple[BatchTotals, ...]
    entry_hash: int
    credit_cents: int
    entry_count: int
    block_count: int


def check_originator(origin: Originator) -> None:
    for field, routing in (
        ("immediate_destination", origin.immediate_destination),
        ("odfi_routing", origin.odfi_routing),
    ):
        problem = routing_problem(routing)
        if problem:
            raise AchError(field, problem)
    origin_id = origin.immediate_origin
    if not (len(origin_id) == 10 or (len(origin_id) == 9 and origin_id.isdigit())):
        raise AchError("immediate_origin", "ten characters as the bank assigned them (often 1 followed by the EIN)")
    if len(origin.company_id) != 10:
        raise AchError("company_id", "ten characters (often 1 followed by the EIN)")
    for field in ("immediate_destination_name", "immediate_origin_name", "company_name", "entry_description"):
        if not getattr(origin, field).strip():
            raise AchError(field, "required in the ACH file")


def check_entry(entry: Entry) -> None:
    problem = routing_problem(entry.routing)
    if problem:
        raise AchError("routing_number", problem)
    if not entry.account or len(entry.account) > 17 or not entry.account.isalnum():
        raise AchError("account_number", "an account number has 1 to 17 letters or digits")
    if entry.prenote and entry.amount != 0:
        raise AchError("amount", "a prenote carries no amount")
    if not entry.prenote and not Decimal("0.01") <= entry.amount <= MAX_AMOUNT:
        raise AchError("amount", f"a credit is between 0.01 and {MAX_AMOUNT}")


def _origin_field(value: str) -> str:
    return " " + value if len(value) == 9 else value


def _file_header(origin: Originator, created: datetime, modifier: str) -> str:
    return (
        "1"
        + "01"
        + _origin_field(origin.immediate_destination)
        + _origin_field(origin.immediate_origin)
        + f"{created:%y%m%d}"
        + f"{created:%H%M}"
        + modifier
        + f"{RECORD_SIZE:03d}"
        + f"{BLOCKING_FACTOR:02d}"
        + "1"
        + _text(origin.immediate_destination_name, 23)
        + _text(origin.immediate_origin_name, 23)
        + _text("", 8)
    )


def _batch_header(origin: Originator, sec: str, effective: date, number: int) -> str:
    return (
        "5"
        + SERVICE_CLASS_CREDITS
        + _text(origin.company_name, 16)
        + _text("", 20)
        + _text(origin.company_id, 10)
        + sec
        + _text(origin.entry_description, 10)
        + f"{effective:%y%m%d}"  # company descriptive date: the pay date, as the receiver sees it
        + f"{effective:%y%m%d}"
        + "   "  # settlement date: the ACH operator fills it in
        + "1"  # originator status code: a depository financial institution originates
        + origin.odfi_routing[:8]
        + _number(number, 7)
    )


def _entry_detail(entry: Entry, trace: str) -> str:
    live, prenote = TRANSACTION_CODES[entry.account_type]
    return (
        "6"
        + (prenote if entry.prenote else live)
        + entry.routing[:8]
        + entry.routing[8]
        + _text(entry.account, 17)
        + _number(0 if entry.prenote else _cents(entry.amount), 10)
        + _text(entry.identification, 15)
        + _text(entry.name, 22)
        + "  "
        + "0"  # no addenda
        + trace
    )


def _batch_control(origin: Originator, totals: BatchTotals, number: int) -> str:
    return (
        "8"
        + SERVICE_CLASS_CREDITS
        + _number(totals.entries, 6)
        + _number(totals.entry_hash % 10**HASH_DIGITS, HASH_DIGITS)
        + _number(0, 12)
        + _number(totals.credit_cents, 12)
        + _text(origin.company_id, 10)
        + _text("", 19)  # message authentication code: not used
        + _text("", 6)
        + origin.odfi_routing[:8]
        + _number(number, 7)
    )


# long: one pass writes every record of the file in order and keeps the running totals
def build_file(
    origin: Originator,
    entries: Sequence[Entry],
    *,
    created: datetime,
    effective: date,
    file_id_modifier: str = "A",
) -> AchFile:
    """The file for ``entries`` (in their order within each batch: PPD first, then CCD). Trace numbers are the
    ODFI's first eight digits and a sequence unique in the file."""
    check_originator(origin)
    if len(file_id_modifier) != 1 or not (file_id_modifier.isupper() or file_id_modifier.isdigit()):
        raise AchError("file_id_modifier", "one upper-case letter (A-Z) or digit")
    for entry in entries:
        check_entry(entry)
    records = [_file_header(origin, created, file_id_modifier)]
    traces: dict[str, str] = {}
    batches: list[BatchTotals] = []
    sequence = 0
    for sec, is_company in (("PPD", False), ("CCD", True)):
        members = [e for e in entries if e.is_company == is_company]
        if not members:
            continue
        number = len(batches) + 1
        records.append(_batch_header(origin, sec, effective, number))
        entry_hash = credit = 0
        for entry in members:
            sequence += 1
            trace = origin.odfi_routing[:8] + _number(sequence, 7)
            traces[entry.key] = trace
            records.append(_entry_detail(entry, trace))
            entry_hash += int(entry.routing[:8])
            credit += 0 if entry.prenote else _cents(entry.amount)
        totals = BatchTotals(sec, len(members), entry_hash, credit)
        records.append(_batch_control(origin, totals, number))
        batches.append(totals)
    entry_count = sum(b.entries for b in batches)
    file_hash = sum(b.entry_hash for b in batches)
    credit_total = sum(b.credit_cents for b in batches)
    block_count = -(-(len(records) + 1) // BLOCKING_FACTOR)
    records.append(
        "9"
        + _number(len(batches), 6)
        + _number(block_count, 6)
        + _number(entry_count, 8)
        + _number(file_hash % 10**HASH_DIGITS, HASH_DIGITS)
        + _number(0, 12)
        + _number(credit_total, 12)
        + _text("", 39)
    )
    records += ["9" * RECORD_SIZE] * (block_count * BLOCKING_FACTOR - len(records))
    assert all(len(r) == RECORD_SIZE for r in records), "every NACHA record is 94 characters"
    return AchFile("\n".join(records) + "\n", traces, tuple(batches), file_hash, credit_total, entry_count, block_count)
