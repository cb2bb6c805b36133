"""The acting member of a route: the verified principal the permission matrix allows, as the ``Actor`` a use case
acts for. Every service declares its ``Reader``/``Writer``/``Deleter`` with these:

    Reader = Annotated[Actor, permitted("wells", "read")]
    Deleter = Annotated[Actor, deleting("production")]
"""

# No `from __future__ import annotations` here: FastAPI must resolve the dependency closures' annotations.

from typing import Annotated, Any

from fastapi import Depends

from wellflow_servicekit.auth import Principal
from wellflow_servicekit.kernel import Actor
from wellflow_servicekit.permissions import Action, Resource, require_delete, require_permission


def actor_of(principal: Principal) -> Actor:
    return Actor(id=principal.subject, organization_id=principal.organization_id, role=principal.role)


def permitted(resource: str | Resource, action: str | Action) -> Any:
    """A dependency (``Depends``) giving the acting principal once the matrix allows ``action`` on ``resource``;
    a 403 problem otherwise."""
    check = require_permission(resource, action)

    async def actor(principal: Annotated[Principal, Depends(check)]) -> Actor:
        return actor_of(principal)

    return Depends(actor)


def deleting(resource: str | Resource) -> Any:
    """A dependency (``Depends``) giving the acting principal when its role may delete ``resource``'s records."""
    check = require_delete(resource)

    async def deleter(principal: Annotated[Principal, Depends(check)]) -> Actor:
        return actor_of(principal)

    return Depends(deleter)
