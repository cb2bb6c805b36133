"""The documents app on a freshly migrated database, real NATS (the devstack plugin), a fake clock, and the
filesystem store in a temporary folder."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text

from wellflow_devstack.pytest_plugin import service_settings
from wellflow_documents.bootstrap import create_app
from wellflow_documents.settings import DocumentsSettings

SERVICE_DIR = Path(__file__).resolve().parents[2]
ORG_A = UUID("01938a10-0000-7000-8000-0000000000d1")
ORG_B = UUID("01938a10-0000-7000-8000-0000000000d2")
SMALL_ORG = UUID("01938a10-0000-7000-8000-0000000000d3")


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Service:
    client: httpx.AsyncClient
    mint: Any
    clock: FakeClock
    app: Any
    database: Any
    storage: Path
    org_a: UUID = field(default=ORG_A)
    org_b: UUID = field(default=ORG_B)

    def headers(self, role: str = "owner", org: UUID | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.mint.token(org or self.org_a, role)}"}

    async def upload(
        self, data: bytes, *, file_name: str = "lease.pdf", org: UUID | None = None, role: str = "owner", **fields: Any
    ) -> httpx.Response:
        form = {"title": "Smith #1 oil and gas lease", "document_type": "lease"}
        form.update({key: value if isinstance(value, str) else json.dumps(value) for key, value in fields.items()})
        files = {"file": (file_name, io.BytesIO(data), "application/octet-stream")}
        return await self.client.post("/api/v1/documents", data=form, files=files, headers=self.headers(role, org))

    @property
    def documents(self) -> Any:
        return self.app.state.documents

    async def outbox(self, event_type: str) -> list[dict[str, Any]]:
        async with self.documents.database.engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT payload FROM outbox WHERE event_type = :t ORDER BY id"), {"t": event_type}
            )
            return [json.loads(row[0]) for row in rows]

    def stored_files(self) -> list[Path]:
        return sorted(path for path in (self.storage / "blobs").rglob("*") if path.is_file())


@pytest.fixture
async def documents(service_database, infra, root, token_mint, tmp_path):
    database = await service_database("documents", migrations=SERVICE_DIR)
    clock = FakeClock()
    settings = service_settings(
        DocumentsSettings,
        "documents",
        database,
        infra,
        root,
        document_storage_path=str(tmp_path / "store"),
        document_organization_limits={str(SMALL_ORG): 4096},
        document_reminder_interval=0,
        document_cleanup_interval=0,
    )
    app = create_app(settings, token_verifier=token_mint.verifier(), clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://documents.test") as client,
    ):
        yield Service(client, token_mint, clock, app, database, tmp_path / "store")


def pdf_bytes(pages: int = 1, text_marker: str = "") -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(612, 792)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue() + (f"\n% {text_marker}\n".encode() if text_marker else b"")


def jpeg_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (640, 480), (120, 90, 40))
    exif = Image.Exif()
    exif[0x010F] = "PumperPhone"  # Make
    gps = {1: "N", 2: (31.0, 50.0, 12.0), 3: "W", 4: (102.0, 22.0, 5.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()
