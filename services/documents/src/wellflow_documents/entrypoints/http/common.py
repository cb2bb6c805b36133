"""What the documents routers share: the handle, the acting principal, page parameters, file bodies."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from wellflow_servicekit.actors import deleting, permitted
from wellflow_servicekit.kernel import Actor, PageOf

from ...app.common import Documents
from ...app.ports import MAX_PAGE, Staged, TooLarge
from ...app.uploads import too_large

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
FORM_SLACK = 64 * 1024  # the form's fields and boundaries around the file


async def get_documents(request: Request) -> Documents:
    documents: Documents = request.app.state.documents
    return documents


DocumentsDep = Annotated[Documents, Depends(get_documents)]


Reader = Annotated[Actor, permitted("documents", "read")]
Writer = Annotated[Actor, permitted("documents", "write")]
Deleter = Annotated[Actor, deleting("documents")]


def page_of(page: PageOf[Any]) -> dict[str, Any]:
    return {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset}


def check_declared_length(request: Request, limit: int, slack: int = 0) -> None:
    """413 at once when the body says it is larger than the limit (nothing read, nothing stored)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit + slack:
        raise too_large(limit)


async def stage(documents: Documents, chunks: AsyncIterator[bytes], limit: int) -> Staged:
    try:
        return await documents.staging.receive(chunks, limit=limit)
    except TooLarge as exc:
        raise too_large(exc.limit) from None
