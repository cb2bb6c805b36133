"""The organization's profile: what statements, check stubs and reports print about the operator.

Texas Natural Resources Code 91.502 makes the operator print, on every royalty check stub, an address and a
telephone number the owner can use with questions (item 12; docs/domain.md). The profile is where the office
keeps them, with the company's legal name, its RRC operator number (Form P-5) and a small logo.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

LOGO_MAX_BYTES = 64 * 1024  # a statement header's logo; a bigger file is a photo, not a logo
LOGO_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
_DATA_URL = re.compile(r"^data:(?P<type>[a-z]+/[a-z0-9.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]*)$")
_PHONE_DIGITS = 10  # North American numbers: area code, exchange, line


class ProfileError(ValueError):
    """A profile value a person must correct; ``field`` names it (relative to the body)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Logo:
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def data_base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    @property
    def data_url(self) -> str:
        return f"data:{self.content_type};base64,{self.data_base64}"


def parse_logo(data_url: str) -> Logo:
    """A ``data:image/png;base64,...`` (or image/jpeg) URL whose bytes really are that image, at most 64 KiB.

    SVG is refused on purpose: it can carry script, and the PDF renderer cannot draw it."""
    match = _DATA_URL.match(data_url.strip())
    if match is None:
        raise ProfileError("logo", "must be a data URL: data:image/png;base64,... or data:image/jpeg;base64,...")
    content_type = match["type"]
    if content_type not in LOGO_TYPES:
        raise ProfileError("logo", f"must be a PNG or JPEG image, not {content_type}")
    try:
        data = base64.b64decode("".join(match["data"].split()), validate=True)
    except (binascii.Error, ValueError):
        raise ProfileError("logo", "is not valid base64") from None
    if not data:
        raise ProfileError("logo", "is empty")
    if len(data) > LOGO_MAX_BYTES:
        raise ProfileError("logo", f"is {len(data) // 1024} KiB; a logo may be at most {LOGO_MAX_BYTES // 1024} KiB")
    if not data.startswith(LOGO_TYPES[content_type]):
        raise ProfileError("logo", f"is not a {content_type.split('/')[1].upper()} file (its bytes say otherwise)")
    return Logo(content_type, data)


def normalize_phone(phone: str) -> str:
    """A North American number written ``432-555-0100`` (an optional leading 1 or +1 and any punctuation)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) == _PHONE_DIGITS + 1 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != _PHONE_DIGITS or any(ch.isalpha() for ch in phone):
        raise ProfileError("phone", "must be a 10-digit US telephone number, e.g. 432-555-0100")
    if digits[0] in "01":
        raise ProfileError("phone", "an area code does not start with 0 or 1")
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def normalize_tax_id(tax_id: str) -> str:
    """The company's federal employer identification number (EIN), stored as nine digits."""
    digits = "".join(ch for ch in tax_id if ch.isdigit())
    if len(digits) != 9 or len(digits) != len(tax_id.replace("-", "").replace(" ", "")):
        raise ProfileError("tax_id", "an EIN has nine digits, e.g. 12-3456789")
    return digits


def mask_tax_id(tax_id: str | None) -> str | None:
    """Only the last four digits ever leave identity (``**-***6789``)."""
    return None if not tax_id else "**-***" + tax_id[-4:]
