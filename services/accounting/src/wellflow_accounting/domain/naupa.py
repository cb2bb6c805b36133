"""The unclaimed-property report file in the NAUPA standard electronic format (NAUPA II, adopted July 2002).

What was verified (NAUPA's "Standard Electronic File Format" as published by the Florida Department of Financial
Services and Massachusetts Treasury): fixed-width ASCII, no delimiters and no control characters, each record
ended by CR/LF; numeric fields (type N) right-justified and zero-filled with the decimal point implied (never
written); character fields (type C) left-justified and space-filled; the first byte of a record is its TR-CODE:
1 holder, 2 property, 3 additional owner, 5 securities, 6 tangible property, 9 summary (4, 7, 8 reserved). The
record length is 625 bytes (Florida's NAUPA II description; an older description gives 577).

NOT verified (the field-position tables were not readable in the copies found): the positions and widths below,
the Texas Comptroller's use of record type 4 for mineral-proceeds detail, and the NAUPA property type codes for
minerals (MI01 net revenue interest, MI02 royalties, MI03 overriding royalties, MI05 working interest, as
commonly listed). They are WellFlow's layout, in one table each, to be checked against the Comptroller's
"Reporting Unclaimed Property" electronic format before a file is filed; docs/owner-payment-law.md says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

RECORD_LENGTH = 625
EOL = "\r\n"

# (name, width, type) in order; positions follow from the widths. UNVERIFIED (module docstring).
HOLDER = (
    ("tr_code", 1, "C"),
    ("holder_tax_id", 9, "N"),
    ("report_year", 4, "N"),
    ("report_type", 1, "C"),  # A: annual
    ("holder_name", 40, "C"),
    ("holder_address1", 40, "C"),
    ("holder_city", 30, "C"),
    ("holder_state", 2, "C"),
    ("holder_zip", 9, "C"),
    ("contact_phone", 10, "N"),
)
PROPERTY = (
    ("tr_code", 1, "C"),
    ("sequence", 10, "N"),
    ("owner_name", 50, "C"),
    ("owner_address1", 40, "C"),
    ("owner_address2", 40, "C"),
    ("owner_city", 30, "C"),
    ("owner_state", 2, "C"),
    ("owner_zip", 9, "C"),
    ("owner_tax_id", 9, "N"),
    ("property_type", 4, "C"),
    ("amount", 12, "N"),  # cents implied
    ("last_transaction", 8, "N"),  # YYYYMMDD
    ("owner_number", 20, "C"),
)
TEXAS_MINERAL = (  # record type 4: the property's lease (Texas mineral proceeds)
    ("tr_code", 1, "C"),
    ("sequence", 10, "N"),  # the property record it describes
    ("lease_name", 50, "C"),
    ("rrc_district", 2, "C"),
    ("rrc_lease_number", 6, "C"),
    ("county", 20, "C"),
    ("owner_decimal", 10, "N"),  # eight decimals implied
)
SUMMARY = (
    ("tr_code", 1, "C"),
    ("property_records", 10, "N"),
    ("total_amount", 14, "N"),  # cents implied
    ("total_records", 10, "N"),
)

PROPERTY_TYPES = {"royalty": "MI02", "orri": "MI03", "working_interest": "MI05", "other": "MI01"}  # UNVERIFIED


@dataclass(frozen=True, slots=True)
class Holder:
    tax_id: str
    name: str
    address1: str
    city: str
    state: str
    zip: str
    phone: str


@dataclass(frozen=True, slots=True)
class MineralProperty:
    owner_name: str
    address1: str
    address2: str
    city: str
    state: str
    zip: str
    tax_id: str
    owner_number: str
    interest: str  # royalty, orri, working_interest or other
    amount: Decimal
    last_transaction: date
    lease_name: str | None = None
    rrc_district: str | None = None
    rrc_lease_number: str | None = None
    county: str | None = None
    owner_decimal: Decimal | None = None


def _ascii(text: str) -> str:
    return "".join(c if 32 <= ord(c) < 127 else " " for c in text)


def _field(value: object, width: int, kind: str, name: str) -> str:
    if kind == "N":
        digits = "".join(c for c in str(value) if c.isdigit())
        if len(digits) > width:
            raise ValueError(f"{name} {value!r} does not fit {width} digits")
        return digits.rjust(width, "0")
    return _ascii(str(value or ""))[:width].upper().ljust(width)


def record(layout: Sequence[tuple[str, int, str]], values: dict[str, object]) -> str:
    line = "".join(_field(values.get(name, ""), width, kind, name) for name, width, kind in layout)
    if len(line) > RECORD_LENGTH:
        raise ValueError("layout longer than a record")
    return line.ljust(RECORD_LENGTH)


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _holder_record(holder: Holder, year: int) -> str:
    return record(
        HOLDER,
        {
            "tr_code": "1",
            "holder_tax_id": holder.tax_id,
            "report_year": year,
            "report_type": "A",
            "holder_name": holder.name,
            "holder_address1": holder.address1,
            "holder_city": holder.city,
            "holder_state": holder.state,
            "holder_zip": holder.zip,
            "contact_phone": holder.phone,
        },
    )


def _property_records(sequence: int, item: MineralProperty) -> list[str]:
    if item.amount <= 0 or item.amount != item.amount.quantize(Decimal("0.01")):
        raise ValueError(f"property {sequence}: an amount to report is positive and to the cent")
    lines = [
        record(
            PROPERTY,
            {
                "tr_code": "2",
                "sequence": sequence,
                "owner_name": item.owner_name,
                "owner_address1": item.address1,
                "owner_address2": item.address2,
                "owner_city": item.city,
                "owner_state": item.state,
                "owner_zip": item.zip,
                "owner_tax_id": item.tax_id,
                "property_type": PROPERTY_TYPES.get(item.interest, PROPERTY_TYPES["other"]),
                "amount": _cents(item.amount),
                "last_transaction": f"{item.last_transaction:%Y%m%d}",
                "owner_number": item.owner_number,
            },
        )
    ]
    if item.lease_name:
        mineral = {
            "tr_code": "4",
            "sequence": sequence,
            "lease_name": item.lease_name,
            "rrc_district": item.rrc_district,
            "rrc_lease_number": item.rrc_lease_number,
            "county": item.county,
            "owner_decimal": int((item.owner_decimal or Decimal(0)) * 10**8),
        }
        lines.append(record(TEXAS_MINERAL, mineral))
    return lines


def report_file(holder: Holder, year: int, properties: Sequence[MineralProperty]) -> str:
    """Holder record, then each property (2) with its Texas mineral record (4) when the lease is known, then the
    summary (9). Amounts must be positive and to the cent."""
    lines = [_holder_record(holder, year)]
    for sequence, item in enumerate(properties, start=1):
        lines.extend(_property_records(sequence, item))
    total = sum((item.amount for item in properties), Decimal(0))
    summary = {
        "tr_code": "9",
        "property_records": len(properties),
        "total_amount": _cents(total),
        "total_records": len(lines) + 1,
    }
    lines.append(record(SUMMARY, summary))
    return EOL.join(lines) + EOL
