"""The NAUPA file's verified rules: fixed 625-byte records ended by CR/LF, TR-CODE first, numbers right-justified
zero-filled with implied decimals, text left-justified space-filled; read back field by field."""

from datetime import date
from decimal import Decimal

import pytest

from wellflow_accounting.domain.naupa import (
    HOLDER,
    PROPERTY,
    SUMMARY,
    TEXAS_MINERAL,
    Holder,
    MineralProperty,
    report_file,
)

HOLDER_FACTS = Holder("751234567", "Caprock Energy LLC", "410 N Main St", "Midland", "TX", "79701", "4325550142")


def fields(layout, line):
    out, at = {}, 0
    for name, width, _kind in layout:
        out[name] = line[at : at + width]
        at += width
    return out


def owner(amount: str, lease: str | None = "Ranch A") -> MineralProperty:
    return MineralProperty(
        "Ada Lovelace", "12 Elm St", "", "Odessa", "TX", "79761", "123456789", "R-1", "royalty",
        Decimal(amount), date(2022, 11, 30), lease, "08", "12345", "Ector", Decimal("0.01250000"),
    )  # fmt: skip


def test_records_are_fixed_width_and_read_back():
    text = report_file(HOLDER_FACTS, 2026, [owner("1234.56"), owner("0.05", lease=None)])
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert [line[0] for line in lines] == ["1", "2", "4", "2", "9"]
    assert all(len(line) == 625 for line in lines)
    holder = fields(HOLDER, lines[0])
    assert (holder["holder_tax_id"], holder["report_year"], holder["holder_name"].rstrip()) == (
        "751234567",
        "2026",
        "CAPROCK ENERGY LLC",
    )
    prop = fields(PROPERTY, lines[1])
    assert (prop["sequence"], prop["amount"], prop["property_type"], prop["last_transaction"]) == (
        "0000000001",
        "000000123456",  # $1,234.56 with the decimal point implied
        "MI02",
        "20221130",
    )
    mineral = fields(TEXAS_MINERAL, lines[2])
    assert (mineral["rrc_lease_number"], mineral["county"].rstrip(), mineral["owner_decimal"]) == (
        "12345 ",
        "ECTOR",
        "0001250000",
    )
    summary = fields(SUMMARY, lines[4])
    # 1,234.56 + 0.05 = 1,234.61 in two property records; five records in all.
    assert (summary["property_records"], summary["total_amount"], summary["total_records"]) == (
        "0000000002",
        "00000000123461",
        "0000000005",
    )


def test_amounts_must_be_positive_cents_and_text_is_plain_ascii():
    with pytest.raises(ValueError, match="positive"):
        report_file(HOLDER_FACTS, 2026, [owner("0.00")])
    text = report_file(HOLDER_FACTS, 2026, [owner("1.00")])
    assert text.isascii() and "\t" not in text
