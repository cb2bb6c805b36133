"""The demo operator's organization profile: what its owner statements, check stubs and JIB statements print
(legal name, mailing address, owner-relations telephone and email, RRC operator number, a small logo)."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

from .demo_client import Api
from .demo_history import COMPANY, OPERATOR_NUMBER

SHORT_NAME = "Caprock Energy"  # the name people use in WellFlow (and in file names); COMPANY is the legal name
PHONE = "432-555-0142"
ADDRESS = {"line1": "410 N Main St", "line2": "Suite 200", "city": "Big Spring", "state": "TX", "postal_code": "79720"}


def logo_png(size: int = 48) -> bytes:
    """A small PNG drawn here (no image file in the repository): a caprock mesa, tan on slate, under a sun."""
    rows = []
    for y in range(size):
        row = bytearray([0])  # PNG filter: none
        for x in range(size):
            mesa = y > size * 0.55 and abs(x - size / 2) < size * 0.38 - (y - size * 0.55) * -0.6
            sun = (x - size * 0.72) ** 2 + (y - size * 0.28) ** 2 < (size * 0.12) ** 2
            row += bytes((205, 133, 63) if mesa else (242, 183, 5) if sun else (47, 62, 78))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def profile_body() -> dict[str, Any]:
    return {
        "name": SHORT_NAME,
        "legal_name": COMPANY,
        "mailing_address": ADDRESS,
        "phone": PHONE,
        "email": "owners@caprockenergy.example.com",
        "rrc_operator_number": OPERATOR_NUMBER,
        "logo": "data:image/png;base64," + base64.b64encode(logo_png()).decode("ascii"),
    }


async def fill_profile(owner: Api) -> None:
    """The owner fills in the Organization page (identity publishes it to accounting and compliance)."""
    await owner.call(
        "fill in the organization's profile", "PATCH", "/api/v1/organizations/current", json=profile_body()
    )
