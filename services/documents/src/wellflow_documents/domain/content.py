"""What a file really is, decided from its bytes (magic numbers), never from the client's claim; safe names
for Content-Disposition; byte ranges of a download (RFC 9110 section 14)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
WEBP = "image/webp"
HEIC = "image/heic"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Images the service re-encodes (and strips of EXIF/GPS) with Pillow, and makes thumbnails of.
IMAGES = frozenset({JPEG, PNG, TIFF, WEBP})
ALLOWED = frozenset({PDF, JPEG, PNG, TIFF, WEBP, TEXT, DOCX, XLSX})

EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif", WEBP: ".webp", TEXT: ".txt", DOCX: ".docx",
              XLSX: ".xlsx"}  # fmt: skip

HEAD_BYTES = 8192  # what sniffing reads from the start of a file


def sniff(head: bytes, zip_entries: Sequence[str] | None = None) -> str | None:
    """The media type the first bytes of a file show, or None when it is none we accept.

    ``zip_entries`` are the member names of a ZIP file (Office documents are ZIP packages); the caller reads
    them only when ``head`` starts like a ZIP.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return HEIC  # recognised so the refusal can say what it is; not accepted (no decoder to strip it)
    if head.startswith(b"PK\x03\x04"):
        names = set(zip_entries or ())
        if "[Content_Types].xml" in names:
            if any(name.startswith("word/") for name in names):
                return DOCX
            if any(name.startswith("xl/") for name in names):
                return XLSX
        return None
    if _is_text(head):
        return TEXT
    return None


def is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sniffed head is still text
        if exc.start < len(head) - 3:
            return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls == 0


_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+-]")


def safe_file_name(name: str | None, media_type: str, *, fallback: str = "document") -> str:
    """A file name safe to store and to send: no folders, no control characters, at most 120 characters,
    the extension of what the content really is."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")).strip()
    base = base.strip(". ") or fallback
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem = base
    extension = EXTENSIONS.get(media_type, "")
    if extension == ".jpg" and ext.lower() == "jpeg":
        extension = ".jpeg"
    stem = stem[: 120 - len(extension)] or fallback
    return f"{stem}{extension}"


def content_disposition(file_name: str) -> str:
    """``attachment`` with an ASCII ``filename`` (unsafe characters replaced) and the UTF-8 ``filename*``
    (RFC 6266), so a name can neither break the header nor smuggle a path."""
    ascii_name = _UNSAFE.sub("_", unicodedata.normalize("NFKD", file_name).encode("ascii", "ignore").decode())
    ascii_name = ascii_name.strip(". ") or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class Unsatisfiable(ValueError):
    """A syntactically valid range no byte of the file satisfies (416)."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one range a ``Range`` header asks of a file of ``size`` bytes; None for the whole file (no header,
    a header we do not understand, or several ranges: RFC 9110 lets a server ignore Range and answer 200)."""
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            suffix = int(last)
            if suffix <= 0:
                raise Unsatisfiable(header)
            if size == 0:
                raise Unsatisfiable(header)
            return ByteRange(max(0, size - suffix), size - 1)
        start = int(first)
        end = int(last) if last else size - 1
    except Unsatisfiable:
        raise
    except ValueError:
        return None
    if start >= size:
        raise Unsatisfiable(header)
    if end < start:
        return None
    return ByteRange(start, min(end, size - 1))


@dataclass(frozen=True)
class ChunkRange:
    """A resumable upload's ``Content-Range: bytes start-end/total`` (``total`` may be ``*``)."""

    start: int
    end: int  # inclusive
    total: int | None

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_content_range(header: str | None) -> ChunkRange:
    """``ValueError`` with a reason when the header is missing or malformed."""
    if not header:
        raise ValueError("send Content-Range: bytes <first>-<last>/<total>")
    match = re.fullmatch(r"\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*", header)
    if match is None:
        raise ValueError("Content-Range must read bytes <first>-<last>/<total>")
    start, end = int(match.group(1)), int(match.group(2))
    total = None if match.group(3) == "*" else int(match.group(3))
    if end < start:
        raise ValueError("the last byte comes before the first")
    if total is not None and end >= total:
        raise ValueError("the last byte is past the total")
    return ChunkRange(start, end, total)
