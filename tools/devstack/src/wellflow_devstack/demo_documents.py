"""The demo operator's lease file: Whitfield Ranch's lease and division order, a drilling permit that expires next month
(the 60- and 30-day reminders are due at once), and the pumper's photos on a few of yesterday's readings. The
files are made here (a small PDF writer and a PNG painter, standard library only), so the demo needs nothing
to download."""

from __future__ import annotations

import json
import struct
import zlib
from datetime import timedelta
from typing import Any

from . import demo_history as dh
from .demo_client import Api
from .demo_history import COMPANY


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with ``title`` and ``lines`` in Helvetica, with a correct cross-reference table."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = [f"BT /F1 16 Tf 72 720 Td ({escape(title)}) Tj ET"]
    for index, line in enumerate(lines):
        text.append(f"BT /F1 11 Tf 72 {690 - 16 * index} Td ({escape(line)}) Tj ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png(width: int, height: int, seed: int) -> bytes:
    """A small picture (sky over a tan pad, a dark tank): enough to stand for a pumper's photo."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            if abs(x - width // 2 - seed % 20) < width // 8 and y > height // 3:
                pixel = (60, 60, 70)
            elif y < height // 2:
                pixel = (120 + y % 40, 160 + seed % 50, 220)
            else:
                pixel = (180 + (x * seed) % 30, 150, 100)
            rows += bytes(pixel)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = chunk(b"IDAT", zlib.compress(bytes(rows)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + pixels + chunk(b"IEND", b"")


async def _upload(api: Api, step: str, data: bytes, file_name: str, media: str, fields: dict[str, str]) -> Any:
    files = {"file": (file_name, data, media)}
    return await api.json(step, "POST", "/api/v1/documents", data=fields, files=files, expect=(201,))


async def file_documents(owner: Api, pumper: Api, history: dh.History, ids: dict[str, Any]) -> str:
    """What was filed, for the demo's summary; nothing when the documents service is not running."""
    probe = await owner.call("look for the documents service", "GET", "/api/v1/documents", expect=(200, 404, 503))
    if probe.status_code != 200:
        return "no documents service"
    plan = next(lease for lease in history.leases if lease.key == "A")
    await _lease_file(owner, history, plan, ids["leases"]["A"])
    expires = await _permit(owner, history, ids)
    photos = await _photos(pumper, history, ids["leases"]["A"])
    return (
        f"documents: the {plan.name} lease and division order, a permit expiring {expires.isoformat()}, {photos} photos"
    )


async def _lease_file(owner: Api, history: dh.History, plan: dh.LeasePlan, lease_id: str) -> None:
    """The lease (kept ten years) and its royalty division order."""
    name, royalty = plan.name, plan.royalty_rate
    lease_link = json.dumps([{"kind": "lease", "id": lease_id}])
    recorded = (history.first_day - timedelta(days=400)).isoformat()
    await _upload(
        owner,
        f"file the {name} lease",
        pdf(f"Oil, Gas and Mineral Lease - {name}", [
            f"Lessor: {plan.lessor}    Lessee: {COMPANY}",
            f"Dated {recorded}; recorded in the Official Public Records of {plan.county} County, Texas",
            "Primary term: three (3) years and as long thereafter as oil or gas is produced",
            f"Royalty: {royalty} of oil and gas produced and saved",
        ]),
        f"{name} lease.pdf",
        "application/pdf",
        {"title": f"{name} oil, gas and mineral lease", "document_type": "lease", "links": lease_link,
         "tags": "recorded", "retain_until": (history.last_day + timedelta(days=3650)).isoformat()},
    )  # fmt: skip
    await _upload(
        owner,
        f"file the {name} division order",
        pdf(f"Division Order - {name}", [
            f"Owner: {plan.lessor}, royalty, decimal interest {royalty:.8f}",
            f"Operator: {COMPANY}; effective with first sales",
        ]),
        f"{name} division order.pdf",
        "application/pdf",
        {"title": f"{name} division order (royalty)", "document_type": "division_order", "links": lease_link},
    )  # fmt: skip


async def _permit(owner: Api, history: dh.History, ids: dict[str, Any]) -> Any:
    """A W-1 permit of the first well of lease A, expiring a month after the last day; its expiry date."""
    first_well = sorted((w for w in history.wells if w.lease == "A"), key=lambda w: w.name)[0]
    well_id = ids["wells"][first_well.api_number]
    expires = history.last_day + timedelta(days=31)
    await _upload(
        owner,
        "file a drilling permit",
        pdf(f"Form W-1 Drilling Permit - {first_well.name}", [
            f"API {first_well.api_number}; permit to recomplete, approved by the Railroad Commission of Texas",
            f"Expires {expires.isoformat()} unless operations begin",
        ]),
        f"W-1 {first_well.name}.pdf",
        "application/pdf",
        {"title": f"W-1 permit, {first_well.name}", "document_type": "permit", "expires_on": expires.isoformat(),
         "links": json.dumps([{"kind": "well", "id": well_id}, {"kind": "lease", "id": ids["leases"]["A"]}])},
    )  # fmt: skip
    return expires


async def _photos(pumper: Api, history: dh.History, lease_id: str) -> int:
    """The pumper's photos on three of yesterday's readings of lease A."""
    readings = await pumper.json(
        "find yesterday's readings", "GET", "/api/v1/readings",
        params={"lease_id": lease_id, "from": history.last_day.isoformat(), "to": history.last_day.isoformat()},
    )  # fmt: skip
    photos = 0
    for index, reading in enumerate(readings["items"][:3]):
        links = [{"kind": "reading", "id": reading["reading_id"]}, {"kind": "well", "id": reading["well_id"]}]
        await _upload(
            pumper,
            "attach a photo to a reading",
            png(160, 120, seed=index * 7 + 3),
            f"IMG_{1040 + index}.PNG",
            "image/png",
            {"title": "Meter at the morning gauge", "document_type": "photo", "links": json.dumps(links),
             "tags": "field photo"},
        )  # fmt: skip
        photos += 1
    return photos
