"""What every accounting route shares: the use cases' handles, the permission dependencies (reads need
``accounting:read``: owner, manager, accountant, auditor; writes ``accounting:write``: owner, accountant),
paging parameters and file answers."""

from typing import Annotated

from fastapi import Depends, Query, Request

from wellflow_servicekit.actors import permitted
from wellflow_servicekit.pdf import PdfRenderer, pdf_renderer

from ..app.context import MAX_PAGE, Accounting, Actor

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold U+0000
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


async def get_accounting(request: Request) -> Accounting:
    return request.app.state.accounting


AccountingDep = Annotated[Accounting, Depends(get_accounting)]
PdfDep = Annotated[PdfRenderer, Depends(pdf_renderer)]


Reader = Annotated[Actor, permitted("accounting", "read")]
Writer = Annotated[Actor, permitted("accounting", "write")]


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
