"""What the notifications routers share: the handle, the acting principal, page parameters."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from wellflow_servicekit.actors import permitted
from wellflow_servicekit.auth import CurrentPrincipal
from wellflow_servicekit.kernel import Actor, PageOf

from ...app.common import Notifications
from ...app.ports import MAX_PAGE

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


async def get_notifications(request: Request) -> Notifications:
    notifications: Notifications = request.app.state.notifications
    return notifications


NotificationsDep = Annotated[Notifications, Depends(get_notifications)]


async def _member(principal: CurrentPrincipal) -> Actor:
    return Actor(id=principal.subject, organization_id=principal.organization_id, role=principal.role)


Member = Annotated[Actor, Depends(_member)]  # any member: their own notifications and preferences
# The organization's deliveries are about its members: who may see the members may see them.
Overseer = Annotated[Actor, permitted("members", "read")]
Owner = Annotated[Actor, permitted("members", "write")]


def page_of(page: PageOf[Any], shape: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    items = [shape(item) for item in page.items] if shape is not None else page.items
    return {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}
