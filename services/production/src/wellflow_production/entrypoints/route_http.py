"""HTTP routes for the pumper's daily route and the route assignments managers and owners make."""

# No `from __future__ import annotations` here: FastAPI resolves the dependency aliases at import.

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from wellflow_servicekit.actors import actor_of
from wellflow_servicekit.auth import Principal
from wellflow_servicekit.errors import Forbidden
from wellflow_servicekit.kernel import Actor, invalid
from wellflow_servicekit.permissions import Action, Resource, Role, require_permission

from ..app import pumper_routes
from . import schemas
from .http import ProductionDep, Reader

# Writing production is not enough to plan a route: a pumper records readings but does not assign the wells
# members visit.
ROUTE_PLANNERS = frozenset({Role.OWNER, Role.MANAGER})


async def _planner(
    principal: Annotated[Principal, Depends(require_permission(Resource.PRODUCTION, Action.WRITE))],
) -> Actor:
    if principal.role not in ROUTE_PLANNERS:
        raise Forbidden(
            f"Your role ({principal.role}) may not assign routes: only an owner or a manager does.",
            resource=Resource.PRODUCTION.value,
            action="assign_route",
        )
    return actor_of(principal)


Planner = Annotated[Actor, Depends(_planner)]

route_router = APIRouter(prefix="/api/v1/production", tags=["pumper's route"])


@route_router.get("/route")
async def daily_route(
    actor: Reader,
    production: ProductionDep,
    day: Annotated[date | None, Query(alias="date", description="the route's day; default today (UTC)")] = None,
    user_id: Annotated[UUID | None, Query(description="whose route; default the caller's")] = None,
) -> Any:
    """The day's route: the assigned wells in visiting order (else, for your own route, every well that may
    still produce), the tanks of their batteries, which are read or gauged that day, and how many stops are
    done. Another member's route is 404 until one is assigned to them."""
    if user_id is None:
        try:
            user_id = UUID(actor.id)
        except ValueError:
            raise invalid("query.user_id", "Name the member whose route you want (`user_id`).") from None
    return await pumper_routes.daily_route(production, actor, user_id, day or production.today())


@route_router.get("/routes/{user_id}")
async def get_route_assignment(user_id: UUID, actor: Reader, production: ProductionDep) -> Any:
    """The member's assigned wells in visiting order; 404 when no route is assigned to them here."""
    return await pumper_routes.get_assignment(production, actor, user_id)


@route_router.put("/routes/{user_id}")
async def assign_route(
    user_id: UUID, body: schemas.RouteAssignmentUpdate, actor: Planner, production: ProductionDep
) -> Any:
    """Owners and managers: replace the member's whole route by `well_ids` in visiting order. Unknown or
    repeated wells are 422, naming each."""
    return await pumper_routes.assign_route(production, actor, user_id, body.well_ids)


@route_router.delete("/routes/{user_id}", status_code=204)
async def remove_route(user_id: UUID, actor: Planner, production: ProductionDep) -> Response:
    """Owners and managers: the member walks the default route again (every well that may still produce)."""
    await pumper_routes.remove_route(production, actor, user_id)
    return Response(status_code=204)
