"""The NACHA writer against a golden file, and against a second reader written here from the published record
layouts (docs/payments.md#nacha-layout), which re-adds every total itself."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from wellflow_accounting.domain.nacha import (
    AccountType,
    AchError,
    Entry,
    Originator,
    build_file,
    routing_number_valid,
)

GOLDEN = Path(__file__).parent / "golden" / "ach_royalty_credits.txt"

ORIGIN = Originator(
    immediate_destination="111000025",
    immediate_destination_name="First Permian Bank",
    immediate_origin="1751234567",
    immediate_origin_name="Caprock Energy LLC",
    company_name="Caprock Energy",
    company_id="1751234567",
    odfi_routing="111000025",
    entry_description="Royalty",
)

ENTRIES = [
    Entry("p1", False, "021000021", "000123456789", AccountType.CHECKING, Decimal("834.75"), "1004", "Ada Whitfield"),
    Entry("p2", False, "011000015", "55501", AccountType.SAVINGS, Decimal("1200.10"), "1005", "José Núñez"),
    Entry("p3", True, "122000247", "9876543210", AccountType.CHECKING, Decimal("15000.00"), "1010", "Mesa Minerals LP"),
    Entry("p4", False, "111000025", "44", AccountType.CHECKING, Decimal("0"), "1011", "New Owner", prenote=True),
]


def make() -> str:
    return build_file(
        ORIGIN, ENTRIES, created=datetime(2026, 12, 7, 14, 5), effective=date(2026, 12, 10), file_id_modifier="A"
    ).text


def read_ach(text: str) -> dict:
    """A reader independent of the writer: slices each record by the published positions (1-based, inclusive)."""
    lines = text.split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]

    def cut(line: str, start: int, end: int) -> str:
        return line[start - 1 : end]

    assert all(len(line) == 94 for line in lines)
    assert len(lines) % 10 == 0
    header = lines[0]
    assert cut(header, 1, 3) == "101"
    result: dict = {
        "destination": cut(header, 4, 13),
        "origin": cut(header, 14, 23),
        "created": cut(header, 24, 33),
        "modifier": cut(header, 34, 34),
        "record_size": cut(header, 35, 37),
        "blocking": cut(header, 38, 39),
        "format": cut(header, 40, 40),
        "destination_name": cut(header, 41, 63).rstrip(),
        "origin_name": cut(header, 64, 86).rstrip(),
        "batches": [],
    }
    batch = None
    index = 1
    while lines[index][0] != "9":
        line = lines[index]
        kind = line[0]
        if kind == "5":
            batch = {
                "service_class": cut(line, 2, 4),
                "company_name": cut(line, 5, 20).rstrip(),
                "company_id": cut(line, 41, 50),
                "sec": cut(line, 51, 53),
                "description": cut(line, 54, 63).rstrip(),
                "effective": cut(line, 70, 75),
                "odfi": cut(line, 80, 87),
                "number": int(cut(line, 88, 94)),
                "entries": [],
            }
        elif kind == "6":
            assert batch is not None
            batch["entries"].append(
                {
                    "code": cut(line, 2, 3),
                    "rdfi": cut(line, 4, 11),
                    "check_digit": cut(line, 12, 12),
                    "account": cut(line, 13, 29).rstrip(),
                    "cents": int(cut(line, 30, 39)),
                    "id": cut(line, 40, 54).rstrip(),
                    "name": cut(line, 55, 76).rstrip(),
                    "addenda": cut(line, 79, 79),
                    "trace": cut(line, 80, 94),
                }
            )
        elif kind == "8":
            assert batch is not None
            batch["control"] = {
                "service_class": cut(line, 2, 4),
                "count": int(cut(line, 5, 10)),
                "hash": int(cut(line, 11, 20)),
                "debits": int(cut(line, 21, 32)),
                "credits": int(cut(line, 33, 44)),
                "company_id": cut(line, 45, 54),
                "odfi": cut(line, 80, 87),
                "number": int(cut(line, 88, 94)),
            }
            result["batches"].append(batch)
            batch = None
        else:
            raise AssertionError(f"unexpected record {kind!r} at line {index + 1}")
        index += 1
    control = lines[index]
    result["control"] = {
        "batches": int(cut(control, 2, 7)),
        "blocks": int(cut(control, 8, 13)),
        "entries": int(cut(control, 14, 21)),
        "hash": int(cut(control, 22, 31)),
        "debits": int(cut(control, 32, 43)),
        "credits": int(cut(control, 44, 55)),
    }
    assert all(line == "9" * 94 for line in lines[index + 1 :])
    result["records"] = len(lines)
    result["real_records"] = index + 1
    return result


def test_the_file_matches_the_golden_file():
    assert make() == GOLDEN.read_text()


def test_a_second_reader_finds_every_total_right():
    f = read_ach(make())
    assert f["destination"] == " 111000025" and f["origin"] == "1751234567"
    assert (f["created"], f["modifier"], f["record_size"], f["blocking"], f["format"]) == (
        "2612071405",
        "A",
        "094",
        "10",
        "1",
    )
    assert [b["sec"] for b in f["batches"]] == ["PPD", "CCD"]
    ppd, ccd = f["batches"]
    assert [e["code"] for e in ppd["entries"]] == ["22", "32", "23"]
    assert [e["code"] for e in ccd["entries"]] == ["22"]
    assert ppd["entries"][1]["name"] == "JOSE NUNEZ"
    assert ppd["entries"][2]["cents"] == 0  # the prenote
    for batch in f["batches"]:
        control = batch["control"]
        assert batch["service_class"] == control["service_class"] == "220"
        assert control["count"] == len(batch["entries"])
        assert control["hash"] == sum(int(e["rdfi"]) for e in batch["entries"]) % 10**10
        assert control["credits"] == sum(e["cents"] for e in batch["entries"])
        assert control["debits"] == 0
        assert control["number"] == batch["number"] and control["odfi"] == batch["odfi"] == "11100002"
        assert control["company_id"] == batch["company_id"] == "1751234567"
        for entry in batch["entries"]:  # the check digit completes the RDFI's routing number
            assert routing_number_valid(entry["rdfi"] + entry["check_digit"])
            assert entry["trace"].startswith("11100002")
    traces = [e["trace"] for b in f["batches"] for e in b["entries"]]
    assert len(set(traces)) == len(traces) and traces == sorted(traces)
    c = f["control"]
    assert c["batches"] == 2
    assert c["entries"] == 4
    # by hand: 02100002 + 01100001 + 11100002 (PPD) + 12200024 (CCD)
    assert c["hash"] == 2100002 + 1100001 + 11100002 + 12200024 == 26500029
    assert c["credits"] == 83475 + 120010 + 1500000 == 1703485
    assert c["debits"] == 0
    # 1 header + (5, 3 entries, 8) + (5, 1 entry, 8) + 9 = 10 records: one block, no padding
    assert f["real_records"] == 10 and f["records"] == 10 and c["blocks"] == 1


def test_the_file_is_padded_with_nines_to_a_whole_block():
    text = build_file(ORIGIN, ENTRIES[:1], created=datetime(2026, 12, 7, 9, 0), effective=date(2026, 12, 8)).text
    f = read_ach(text)
    assert f["real_records"] == 5 and f["records"] == 10 and f["control"]["blocks"] == 1


def test_the_entry_hash_keeps_its_last_ten_digits():
    many = [
        Entry(f"p{i}", False, "122000247", "1", AccountType.CHECKING, Decimal("1.00"), str(i), "Owner")
        for i in range(1000)
    ]
    f = read_ach(build_file(ORIGIN, many, created=datetime(2026, 1, 1), effective=date(2026, 1, 2)).text)
    assert 12200024 * 1000 == 12200024000  # eleven digits
    assert f["control"]["hash"] == 2200024000
    assert f["control"]["blocks"] == -(-(1000 + 4) // 10) == 101


@pytest.mark.parametrize(
    ("routing", "valid"),
    [
        ("111000025", True),
        ("021000021", True),
        ("011000015", True),
        ("122000247", True),
        ("111000026", False),
        ("12345678", False),
        ("12345678a", False),
    ],
)
def test_routing_numbers_carry_the_aba_check_digit(routing, valid):
    # 111000025: 3*1 + 7*1 + 1*1 + 3*0 + 7*0 + 1*0 + 3*0 + 7*2 + 1*5 = 30, a multiple of ten
    assert routing_number_valid(routing) is valid


def test_bad_entries_are_refused_naming_the_field():
    bad_routing = Entry("x", False, "111000026", "1", AccountType.CHECKING, Decimal("1"), "1", "A")
    with pytest.raises(AchError) as info:
        build_file(ORIGIN, [bad_routing], created=datetime(2026, 1, 1), effective=date(2026, 1, 2))
    assert info.value.field == "routing_number"
    with pytest.raises(AchError) as info:
        build_file(
            _origin(odfi_routing="111000026"),
            [],
            created=datetime(2026, 1, 1),
            effective=date(2026, 1, 2),
        )
    assert info.value.field == "odfi_routing"
    zero = Entry("x", False, "111000025", "1", AccountType.CHECKING, Decimal("0"), "1", "A")
    with pytest.raises(AchError) as info:
        build_file(ORIGIN, [zero], created=datetime(2026, 1, 1), effective=date(2026, 1, 2))
    assert info.value.field == "amount"


def _origin(**changes: str) -> Originator:
    values = {name: getattr(ORIGIN, name) for name in Originator.__dataclass_fields__}
    return Originator(**(values | changes))
