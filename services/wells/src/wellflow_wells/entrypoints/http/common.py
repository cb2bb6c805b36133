"""What every router of the wells API shares: the registry, the acting principal, page parameters and
answers."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from wellflow_servicekit.actors import permitted
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from ...app.ports import MAX_PAGE
from ...app.registry import Registry
from ...domain.rules import normalize_district

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


async def get_registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


RegistryDep = Annotated[Registry, Depends(get_registry)]


Reader = Annotated[Actor, permitted("wells", "read")]
Writer = Annotated[Actor, permitted("wells", "write")]
# Recording a well test is production work (pumper, manager, owner), not managing the asset.
TestRecorder = Annotated[Actor, permitted("production", "write")]


def page_of(page: PageOf[Any], shape: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """A use case's page as the ``Page`` answer, each item shaped by ``shape`` if given."""
    items = [shape(item) for item in page.items] if shape is not None else page.items
    return {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}


def district_query(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize_district(value)
    except ValueError as exc:
        raise invalid("query.rrc_district", str(exc)) from None
