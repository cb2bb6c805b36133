"""What a staged file is (from its bytes), and what is done to it before it is kept: images re-encoded by
Pillow without their EXIF block (GPS position, camera serial, time) unless the user keeps the location,
thumbnails of images and of a PDF's first page (pypdfium2, PDFium in a wheel: no system libraries)."""

from __future__ import annotations

import asyncio
import hashlib
import zipfile
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..app.ports import Prepared, Staged, Unacceptable
from ..domain import content
from .staging import LocalStaging

THUMBNAIL_SIZE = (320, 320)
MAX_PIXELS = 80_000_000  # a 80-megapixel image; above it a file is treated as a decompression bomb
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
SAVE_FORMAT = {content.JPEG: "JPEG", content.PNG: "PNG", content.TIFF: "TIFF", content.WEBP: "WEBP"}


class ContentProcessor:
    def __init__(self, staging: LocalStaging) -> None:
        self.staging = staging

    async def prepare(self, staged: Staged, *, keep_location: bool) -> Prepared:
        return await asyncio.to_thread(self._prepare, staged, keep_location)

    def _prepare(self, staged: Staged, keep_location: bool) -> Prepared:
        entries = _zip_entries(staged.path) if content.is_zip(staged.head) else None
        media_type = content.sniff(staged.head, entries)
        if media_type not in content.ALLOWED:
            raise Unacceptable(_refusal(media_type), seen=media_type)
        if media_type in content.IMAGES:
            return self._image(staged, media_type, keep_location)
        if media_type == content.PDF:
            thumbnail, pages = self._pdf_thumbnail(staged.path)
            return Prepared(staged, media_type, thumbnail, pages=pages)
        return Prepared(staged, media_type, None)

    def _image(self, staged: Staged, media_type: str, keep_location: bool) -> Prepared:
        try:
            with Image.open(staged.path) as image:
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                width, height = upright.size
                kept = staged
                if not keep_location:
                    kept = self._reencode(upright, media_type)
                thumbnail = self._thumbnail(upright)
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
            raise Unacceptable(f"The image cannot be read: {exc}.", seen=media_type) from None
        if kept is not staged:
            self.staging.discard(staged)
        return Prepared(kept, media_type, thumbnail, width=width, height=height, stripped=not keep_location)

    def _reencode(self, image: Image.Image, media_type: str) -> Staged:
        """The pixels only, in the same format: no EXIF, XMP, ICC comments or GPS survive."""
        path = self.staging.new_path()
        fmt = SAVE_FORMAT[media_type]
        clean = image
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            clean = image.convert("RGB")
        options: dict[str, object] = {"quality": 90, "optimize": True} if fmt == "JPEG" else {}
        if fmt == "WEBP":
            options = {"quality": 90}
        clean.save(path, format=fmt, **options)  # no exif= argument: Pillow writes none
        return _staged(path)

    def _thumbnail(self, image: Image.Image) -> Staged:
        small = image.copy()
        small.thumbnail(THUMBNAIL_SIZE)
        if small.mode not in ("RGB", "L"):
            small = small.convert("RGB")
        path = self.staging.new_path()
        small.save(path, format="JPEG", quality=80)
        return _staged(path)

    def _pdf_thumbnail(self, path: Path) -> tuple[Staged | None, int | None]:
        import pypdfium2 as pdfium  # type: ignore[import-untyped]

        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise Unacceptable(f"The PDF cannot be read: {exc}.", seen=content.PDF) from None
        try:
            pages = len(document)
            if pages == 0:
                return None, 0
            page = document[0]
            width, height = page.get_size()
            scale = min(THUMBNAIL_SIZE[0] / max(width, 1), THUMBNAIL_SIZE[1] / max(height, 1))
            image = page.render(scale=scale).to_pil()
            return self._thumbnail(image), pages
        finally:
            document.close()


def _staged(path: Path) -> Staged:
    data_hash = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        head = handle.read(content.HEAD_BYTES)
        handle.seek(0)
        while block := handle.read(1024 * 1024):
            data_hash.update(block)
            size += len(block)
    return Staged(path=path, sha256=data_hash.hexdigest(), size=size, head=head)


def _zip_entries(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()[:2000]
    except (zipfile.BadZipFile, OSError):
        return []


def _refusal(seen: str | None) -> str:
    allowed = ", ".join(sorted(content.ALLOWED))
    if seen == content.HEIC:
        return f"HEIC photos are not accepted: set the camera to JPEG (Most Compatible). Accepted: {allowed}."
    return f"The content is not a type WellFlow keeps. Accepted: {allowed}."
