"""The shared PDF renderer: user text escaped for reportlab's markup, no file or URL reads, a deadline and a memory
cap per document, and a worker that recovers after either."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader

from wellflow_servicekit.pdf import DocumentTooLarge, PdfRenderer, RenderingUnavailable, escape_markup
from wellflow_servicekit.testing import pdf_of_paragraphs as paragraphs

HOSTILE = '<img src="/dev/zero" width="1" height="1"/> A<B & <font size=400>x</font> "q" \'s'


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_escaped_markup_renders_as_the_text_typed():
    assert escape_markup("A<B & C>D") == "A&lt;B &amp; C&gt;D"
    assert escape_markup(None) == ""
    pdf = paragraphs(escape_markup(HOSTILE))
    assert "A<B" in text_of(pdf) and '<img src="/dev/zero"' in text_of(pdf)


@pytest.fixture
async def renderer():
    renderer = PdfRenderer(timeout_seconds=60, memory_mb=256)
    yield renderer
    await renderer.stop()


async def test_the_worker_renders_escaped_text_and_reads_no_files(renderer: PdfRenderer):
    pdf = await renderer.render(paragraphs, "Lease " + escape_markup("A<B"))
    assert "Lease A<B" in text_of(pdf)
    # even markup that slipped through unescaped cannot make reportlab read a file in the worker
    with pytest.raises(Exception, match="reads no files"):
        await renderer.render(paragraphs, '<img src="/etc/hostname" width="1" height="1"/>')


async def test_a_document_over_its_deadline_is_abandoned_and_the_next_one_renders(renderer: PdfRenderer):
    renderer.timeout_seconds = 60  # the worker's start (a new process importing reportlab) is not the document's time
    await renderer.render(paragraphs, "warm up")
    renderer.timeout_seconds = 1.5
    started = time.monotonic()
    with pytest.raises(RenderingUnavailable):
        await renderer.render(time.sleep, 30)  # functions the worker can import
    assert time.monotonic() - started < 5
    assert renderer.killed == 1
    renderer.timeout_seconds = 60  # a fresh worker starts for the next document
    assert text_of(await renderer.render(paragraphs, "after")).strip() == "after"


async def test_a_large_document_gets_a_deadline_fitting_its_size(renderer: PdfRenderer):
    await renderer.render(paragraphs, "warm up")
    renderer.timeout_seconds = 0.5
    assert renderer.deadline_for(10, 0.01) == 0.5  # small: the service's deadline
    deadline = renderer.deadline_for(100, 0.03)
    assert deadline == pytest.approx(3.0)
    await renderer.render(time.sleep, 1.2, timeout_seconds=deadline)  # past the service's 0.5 s, within its own
    assert renderer.killed == 0
    with pytest.raises(RenderingUnavailable, match=r"longer than 0\.5 s"):
        await renderer.render(time.sleep, 1.2)
    renderer.timeout_seconds = 60


async def test_a_document_over_its_memory_cap_is_refused_and_the_next_one_renders(renderer: PdfRenderer):
    with pytest.raises(DocumentTooLarge):
        await renderer.render(bytes, 1024 * 1024 * 1024)  # a gigabyte, over the 256 MB cap
    assert text_of(await renderer.render(paragraphs, "after")).strip() == "after"
