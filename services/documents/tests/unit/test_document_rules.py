"""The documents service's plain rules: content sniffing, safe names, ranges, retention, reminders, limits."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from wellflow_documents.domain import content
from wellflow_documents.domain.content import ByteRange, ChunkRange, Unsatisfiable, parse_content_range, parse_range
from wellflow_documents.domain.keeping import Reminder, deletion_refusal, due_reminder
from wellflow_documents.domain.kinds import clean_tags
from wellflow_documents.domain.limits import upload_limit


@pytest.mark.parametrize(
    ("head", "entries", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", None, content.PDF),
        (b"\xff\xd8\xff\xe1\x00\x18Exif", None, content.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None, content.PNG),
        (b"II*\x00\x08\x00", None, content.TIFF),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", None, content.WEBP),
        (b"\x00\x00\x00\x18ftypheic\x00", None, content.HEIC),
        (b"PK\x03\x04rest", ["[Content_Types].xml", "word/document.xml"], content.DOCX),
        (b"PK\x03\x04rest", ["[Content_Types].xml", "xl/workbook.xml"], content.XLSX),
        (b"PK\x03\x04rest", ["evil.exe"], None),
        (b"API,Lease,Oil BBL\n42-389-12345,Smith,120.5\n", None, content.TEXT),
        (b"MZ\x90\x00\x03\x00", None, None),
        (b"\x7fELF\x02\x01\x01", None, None),
        (b"", None, None),
    ],
)
def test_the_type_comes_from_the_first_bytes(head, entries, expected):
    assert content.sniff(head, entries) == expected


@pytest.mark.parametrize(
    ("name", "media_type", "expected"),
    [
        ("../../etc/passwd", content.PDF, "passwd.pdf"),
        ("C:\\Users\\pumper\\IMG_0042.JPEG", content.JPEG, "IMG_0042.jpeg"),
        ("invoice.exe", content.PDF, "invoice.pdf"),
        ("Lease\r\nSet-Cookie: x.pdf", content.PDF, "LeaseSet-Cookie: x.pdf"),
        ("", content.PNG, "document.png"),
        ("...", content.TEXT, "document.txt"),
    ],
)
def test_file_names_lose_folders_and_controls_and_take_the_real_extension(name, media_type, expected):
    assert content.safe_file_name(name, media_type) == expected


def test_the_download_name_cannot_break_the_header():
    header = content.content_disposition('a"b;c\\d Niño.pdf')
    assert header == "attachment; filename=\"a_b_c_d Nino.pdf\"; filename*=UTF-8''a%22b%3Bc%5Cd%20Ni%C3%B1o.pdf"


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 100, None),
        ("bytes=0-9", 100, ByteRange(0, 9)),
        ("bytes=90-", 100, ByteRange(90, 99)),
        ("bytes=-10", 100, ByteRange(90, 99)),
        ("bytes=-500", 100, ByteRange(0, 99)),
        ("bytes=50-5000", 100, ByteRange(50, 99)),
        ("bytes=0-1,5-6", 100, None),  # several ranges: the whole file (allowed by RFC 9110)
        ("items=0-1", 100, None),
        ("bytes=9-3", 100, None),
    ],
)
def test_a_range_header_picks_bytes(header, size, expected):
    assert parse_range(header, size) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=100-200", "bytes=-0"])
def test_a_range_past_the_end_is_unsatisfiable(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 100)


def test_content_range_of_a_chunk():
    assert parse_content_range("bytes 0-999/5000") == ChunkRange(0, 999, 5000)
    assert parse_content_range("bytes 1000-1999/*") == ChunkRange(1000, 1999, None)
    for bad in (None, "bytes 5-1/10", "bytes 0-10/10", "0-9/10"):
        with pytest.raises(ValueError):
            parse_content_range(bad)


def test_hold_and_retention_refuse_deletion():
    today = date(2026, 3, 1)
    assert deletion_refusal(legal_hold=False, retain_until=None, today=today) is None
    assert deletion_refusal(legal_hold=False, retain_until=date(2026, 2, 28), today=today) is None
    assert "2026-03-01" in deletion_refusal(legal_hold=False, retain_until=today, today=today)
    assert "legal hold" in deletion_refusal(legal_hold=True, retain_until=None, today=today)


@pytest.mark.parametrize(
    ("days_left", "already", "expected"),
    [
        (61, [], None),
        (60, [], Reminder(60, (60,))),
        (45, [60], None),
        (30, [60], Reminder(30, (30,))),
        (5, [], Reminder(7, (7, 30, 60))),  # added late: one reminder settles the three
        (5, [60], Reminder(7, (7, 30))),
        (0, [60, 30, 7], None),
        (-1, [], None),
    ],
)
def test_a_reminder_goes_once_for_the_nearest_threshold_reached(days_left, already, expected):
    expires = date(2026, 6, 1)
    today = date.fromordinal(expires.toordinal() - days_left)
    assert due_reminder(expires, today, (60, 30, 7), already) == expected


def test_tags_are_tidied():
    assert clean_tags([" Recorded ", "recorded", "Reeves  County"]) == ["recorded", "reeves county"]
    with pytest.raises(ValueError):
        clean_tags(["  "])


def test_an_organizations_limit_is_its_override_else_its_plan():
    org = UUID("01938a10-0000-7000-8000-000000000001")
    plans = {"standard": 100, "professional": 1000}
    assert upload_limit(org, plans=plans, default_plan="standard", organization_plans={}, overrides={}) == 100
    pro = {str(org): "professional"}
    assert upload_limit(org, plans=plans, default_plan="standard", organization_plans=pro, overrides={}) == 1000
    assert upload_limit(org, plans=plans, default_plan="standard", organization_plans=pro,
                        overrides={str(org): 5}) == 5  # fmt: skip
