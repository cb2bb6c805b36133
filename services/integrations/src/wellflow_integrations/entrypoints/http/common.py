"""What the integrations routers share: the handle, the acting principal, page parameters."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from wellflow_servicekit.actors import permitted
from wellflow_servicekit.kernel import Actor, PageOf

from ...app.common import Integrations
from ...app.ports import MAX_PAGE

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


async def get_integrations(request: Request) -> Integrations:
    integrations: Integrations = request.app.state.integrations
    return integrations


IntegrationsDep = Annotated[Integrations, Depends(get_integrations)]


Reader = Annotated[Actor, permitted("integrations", "read")]
Owner = Annotated[Actor, permitted("integrations", "write")]


def page_of(page: PageOf[Any], shape: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    items = [shape(item) for item in page.items] if shape is not None else page.items
    return {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}
