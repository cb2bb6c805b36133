"""PDF documents, rendered safely: every service that renders a PDF uses this module.

Three defences, because a PDF is built from text that tenants typed (organization, lease, owner names, remarks):

- ``escape_markup``: reportlab's ``Paragraph`` reads an XML-like markup (``<b>``, ``<img src=...>``,
  ``<font>``...). Every value a user typed goes through this before it reaches a paragraph, so ``A<B`` renders as
  ``A<B`` and ``<img src="/dev/zero"/>`` renders as that text, never as an image tag.
- ``lock_down_reportlab``: reportlab may read files and URLs (images, fonts). In the renderer's process it can
  read neither: ``open_for_read`` only accepts open file objects, and no host or scheme is trusted for URLs.
- ``PdfRenderer``: documents are rendered in a separate worker process (never on the service's event loop),
  with an address-space limit (``memory_mb``) and a deadline (``timeout_seconds``); a worker over either is
  killed and replaced, and the request answers a problem instead of taking the service down.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from starlette.requests import Request

from wellflow_servicekit.errors import Problem, ServiceUnavailable

logger = logging.getLogger(__name__)

_ENTITIES = {'"': "&quot;", "'": "&#39;"}


def escape_markup(value: object) -> str:
    """``value`` as text for reportlab paragraph markup: ``&``, ``<``, ``>`` and quotes escaped."""
    return escape("" if value is None else str(value), _ENTITIES)


def _refuse(name: Any, mode: str = "b") -> Any:
    if hasattr(name, "read"):
        return name
    raise PermissionError(f"WellFlow's PDF renderer reads no files or URLs (asked for {str(name)[:80]!r})")


def lock_down_reportlab() -> None:
    """In this process, reportlab can no longer open files or URLs by name (images, fonts)."""
    from reportlab import rl_config
    from reportlab.lib import utils
    from reportlab.pdfbase import pdfdoc

    rl_config.trustedHosts = None
    rl_config.trustedSchemes = []
    utils.open_for_read = _refuse
    utils.open_for_read_by_name = _refuse
    utils.rlUrlRead = _refuse
    pdfdoc.open_for_read = _refuse  # imported by name there


def _start_worker(memory_bytes: int) -> None:
    import resource

    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    lock_down_reportlab()


class DocumentTooLarge(Problem):
    status = 413
    slug = "document-too-large"
    title = "Document too large to render"


class RenderingUnavailable(ServiceUnavailable):
    slug = "rendering-unavailable"
    title = "Document rendering unavailable"


class PdfRenderer:
    """Renders ``render(*args) -> bytes`` (a module-level function, so it can be sent to the worker) in a worker
    process with a memory and a time cap. One worker by default: documents of a service are rendered one at a
    time, the rest wait their turn (within the deadline)."""

    def __init__(self, *, timeout_seconds: float = 30.0, memory_mb: int = 512, workers: int = 1) -> None:
        self.timeout_seconds = timeout_seconds
        self.memory_bytes = memory_mb * 1024 * 1024
        self.workers = workers
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.rendered = 0
        self.killed = 0

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.memory_bytes,),
            )
        return self._pool

    def deadline_for(self, pages: int, seconds_per_page: float) -> float:
        """The deadline of a document whose size is known before rendering: the service's deadline, or
        ``seconds_per_page`` for each of its ``pages`` when that is longer (a run of five thousand checks is not
        refused for being large; a runaway document of a few pages still is)."""
        return max(self.timeout_seconds, pages * seconds_per_page)

    async def render(self, render: Callable[..., bytes], *args: Any, timeout_seconds: float | None = None) -> bytes:
        """``render(*args)`` in the worker, within ``timeout_seconds`` (the service's deadline when not given)."""
        deadline = self.timeout_seconds if timeout_seconds is None else timeout_seconds
        pool = self._executor()
        future = pool.submit(render, *args)
        try:
            result = await asyncio.wait_for(asyncio.wrap_future(future), deadline)
        except TimeoutError:
            self._replace(pool, "took longer than its deadline")
            raise RenderingUnavailable(
                f"The document took longer than {deadline:g} s to render; it was abandoned. Try again, or export CSV.",
                retry_after=5,
            ) from None
        except MemoryError:
            self._replace(pool, "ran out of its memory limit")
            raise DocumentTooLarge(
                "The document needs more memory than a rendering may use; export CSV instead."
            ) from None
        except concurrent.futures.process.BrokenProcessPool:
            self._replace(pool, "died")
            raise RenderingUnavailable("The document renderer stopped; try again.", retry_after=1) from None
        self.rendered += 1
        return result

    def _replace(self, pool: concurrent.futures.ProcessPoolExecutor, why: str) -> None:
        """Kill ``pool``'s workers (a thread cannot be stopped; a process can) and start afresh on the next call."""
        logger.warning("a PDF rendering %s: its worker is killed and replaced", why)
        self.killed += 1
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        if self._pool is pool:
            self._pool = None

    async def start(self) -> None:
        """Nothing to do: the worker starts on the first document."""

    async def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


async def pdf_renderer(request: Request) -> PdfRenderer:
    """The service's renderer (``state={"pdf": PdfRenderer(...)}`` in its bootstrap), for a route's ``Depends``."""
    renderer: PdfRenderer = request.app.state.pdf
    return renderer


def renderer_from(settings: Any) -> PdfRenderer:
    """A renderer with the service's PDF_RENDER_TIMEOUT_SECONDS and PDF_RENDER_MEMORY_MB."""
    return PdfRenderer(timeout_seconds=settings.pdf_render_timeout_seconds, memory_mb=settings.pdf_render_memory_mb)
