"""The Pub 1220 file: a golden file, and a reader written here from the publication's layout (not from the
writer's code) that parses the file back and checks every count and total."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from wellflow_accounting.domain.corrections1099 import plan_corrections
from wellflow_accounting.domain.form1099 import Form
from wellflow_accounting.domain.pub1220 import PayeeReturn, Payer, Transmitter, write_file
from wellflow_accounting.domain.tax_identity import TinType

D = Decimal
GOLDEN = Path(__file__).with_name("golden") / "pub1220_2025_caprock.txt"
CODES = "123456789ABCDEFGHJ"

TRANSMITTER = Transmitter(
    tin="751234567",
    tcc="5A123",
    name="Caprock Energy LLC",
    address="1200 Main St., Suite 4",
    city="Midland",
    state="TX",
    zip_code="79701",
    contact_name="Dana Ortiz",
    contact_phone="(432) 555-0142",
    contact_email="office@caprock.example",
    test=True,
)
PAYER = Payer(
    tin="751234567",
    name="Caprock Energy LLC",
    address="1200 Main St., Suite 4",
    city="Midland",
    state="TX",
    zip_code="79701-4410",
    phone="432-555-0142",
    name_control="CAPR",
)


def _returns() -> list[PayeeReturn]:
    return [
        PayeeReturn(
            Form.MISC,
            "123456789",
            TinType.SSN,
            "Ada Whitfield",
            "44 Ranch Rd",
            "Odessa",
            "TX",
            "79761",
            "1004",
            {"2": D("875.00")},
        ),
        PayeeReturn(
            Form.MISC,
            "",
            None,
            "Bo Pruitt",
            "9 Elm St",
            "Tulsa",
            "OK",
            "74103",
            "1007",
            {"2": D("1250.10"), "4": D("300.02")},
        ),
        PayeeReturn(
            Form.NEC,
            "751112222",
            TinType.EIN,
            "Permian Partners LP",
            "PO Box 77",
            "Midland",
            "TX",
            "79702",
            "1010",
            {"1": D("48211.37")},
        ),
    ]


# ---------------------------------------------------------------- an independent reader (Pub 1220 positions)


@dataclass
class Read:
    kinds: str = ""
    a_groups: list[dict[str, object]] = field(default_factory=list)


def field_at(record: str, start: int, end: int) -> str:
    return record[start - 1 : end]


def read_file(data: bytes) -> Read:
    assert len(data) % 750 == 0, "every record is 750 characters"
    records = [data[i : i + 750].decode("ascii") for i in range(0, len(data), 750)]
    out = Read()
    group: dict[str, object] | None = None
    payees_total = 0
    for sequence, record in enumerate(records, start=1):
        assert record.endswith("\r\n")
        assert int(field_at(record, 500, 507)) == sequence, "record sequence numbers count from 1"
        kind = record[0]
        out.kinds += kind
        if kind == "T":
            t_payees = int(field_at(record, 296, 303))
        elif kind == "A":
            group = {"type": field_at(record, 26, 27), "codes": field_at(record, 28, 45).strip(), "b": [], "k": []}
            out.a_groups.append(group)
        elif kind == "B":
            assert group is not None
            amounts = {code: int(field_at(record, 55 + 12 * i, 66 + 12 * i)) for i, code in enumerate(CODES)}
            for code, cents in amounts.items():
                assert cents == 0 or code in str(group["codes"]), f"amount {code} used but not in the A record"
            group["b"].append(
                {"amounts": amounts, "state": field_at(record, 488, 489), "cf": field_at(record, 747, 748)}
            )  # type: ignore[attr-defined]
            payees_total += 1
        elif kind in "CK":
            assert group is not None
            totals = {code: int(field_at(record, 16 + 18 * i, 33 + 18 * i)) for i, code in enumerate(CODES)}
            counted = int(field_at(record, 2, 9))
            members = group["b"] if kind == "C" else [b for b in group["b"] if b["cf"] == field_at(record, 747, 748)]  # type: ignore[attr-defined]
            assert counted == len(members), f"{kind} record counts {counted} payees, found {len(members)}"
            for code in CODES:
                assert totals[code] == sum(b["amounts"][code] for b in members), f"{kind} total {code}"
            if kind == "K":
                group["k"].append(field_at(record, 747, 748))  # type: ignore[attr-defined]
        elif kind == "F":
            assert int(field_at(record, 2, 9)) == len(out.a_groups)
            assert field_at(record, 10, 30) == "0" * 21
            assert int(field_at(record, 50, 57)) == payees_total
    assert t_payees == payees_total
    assert out.kinds[0] == "T" and out.kinds[-1] == "F"
    return out


# ---------------------------------------------------------------- tests


def test_the_file_matches_the_golden_file() -> None:
    data = write_file(2025, TRANSMITTER, PAYER, _returns())
    if os.environ.get("WELLFLOW_REGOLD"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_the_reader_finds_every_count_and_total() -> None:
    read = read_file(write_file(2025, TRANSMITTER, PAYER, _returns()))
    assert read.kinds == "TABBCABCF"
    misc, nec = read.a_groups
    assert (misc["type"], misc["codes"], nec["type"], nec["codes"]) == ("A ", "24", "NE", "1")
    assert [b["amounts"]["2"] for b in misc["b"]] == [87500, 125010]  # type: ignore[index]
    assert nec["b"][0]["amounts"]["1"] == 4821137  # type: ignore[index]


def test_hand_checked_positions_of_a_payee_record() -> None:
    records = write_file(2025, TRANSMITTER, PAYER, _returns()).decode("ascii")
    first_b = records[750 * 2 : 750 * 3]
    assert first_b[0:5] == "B2025"
    assert first_b[10] == "2" and first_b[11:20] == "123456789"  # type of TIN 2 (SSN), TIN 12-20
    assert first_b[20:24] == "1004"  # the owner number as the payer's account number (21-40)
    assert first_b[66:78] == "000000087500"  # payment amount 2 (royalties), positions 67-78
    assert first_b[287:300] == "ADA WHITFIELD"  # first payee name line, 288-327
    assert first_b[447:453] == "ODESSA" and first_b[487:489] == "TX" and first_b[489:498] == "79761    "
    t = records[:750]
    assert t[27] == "T" and t[15:20] == "5A123"  # test file indicator (28), TCC (16-20)


def test_combined_federal_state_adds_a_k_record_per_participating_state() -> None:
    read = read_file(write_file(2025, TRANSMITTER, PAYER, _returns(), combined_federal_state=True))
    assert read.kinds == "TABBCKABCF"  # Oklahoma (40) participates; Texas has no income tax and is not in it
    assert read.a_groups[0]["k"] == ["40"]


def test_an_amount_that_does_not_fit_is_refused() -> None:
    too_big = PayeeReturn(
        Form.MISC, "123456789", TinType.SSN, "X", "A", "B", "TX", "79701", "1", {"2": D("10000000000.00")}
    )
    with pytest.raises(ValueError, match="does not fit"):
        write_file(2025, TRANSMITTER, PAYER, [too_big])


def test_corrections_one_step_for_amounts_two_step_for_a_tin() -> None:
    filed = {(r.account, r.form): r for r in _returns()}
    now = dict(filed)
    ada = filed[("1004", Form.MISC)]
    now[("1004", Form.MISC)] = PayeeReturn(**{**ada.__dict__, "amounts": {"2": D("900.00")}})
    bo = filed[("1007", Form.MISC)]
    now[("1007", Form.MISC)] = PayeeReturn(**{**bo.__dict__, "tin": "987654321", "tin_type": TinType.SSN})
    del now[("1010", Form.NEC)]
    plan = plan_corrections(filed, now)
    assert [(c.account, c.corrected, dict(c.amounts)) for c in plan.corrections] == [
        ("1004", "G", {"2": D("900.00")}),
        ("1007", "G", {}),
        ("1007", "C", {"2": D("1250.10"), "4": D("300.02")}),
        ("1010", "G", {}),
    ]
    assert plan.corrections[1].tin == "" and plan.corrections[2].tin == "987654321"
    read = read_file(write_file(2025, TRANSMITTER, PAYER, plan.corrections))
    assert read.kinds == "TABBBCABCF"
