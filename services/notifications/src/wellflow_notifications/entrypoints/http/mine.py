"""A member's own notifications (the console's bell) and preferences."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...app import digest, inbox, preferences
from .. import schemas
from .common import Limit, Member, NotificationsDep, Offset, page_of

mine_router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])


@mine_router.get("", response_model=schemas.NotificationPage)
async def list_my_notifications(
    actor: Member,
    n: NotificationsDep,
    unread: Annotated[bool | None, Query(description="true: unread only; false: read only")] = None,
    kind: Annotated[str | None, Query(max_length=40, description="e.g. production_alert")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    page, unread_total = await inbox.list_notifications(n, actor, unread=unread, kind=kind, limit=limit, offset=offset)
    return {**page_of(page), "unread": unread_total}


@mine_router.get("/unread-count", response_model=schemas.UnreadCount)
async def my_unread_count(actor: Member, n: NotificationsDep) -> Any:
    return {"unread": await inbox.unread_count(n, actor)}


@mine_router.post("/read", response_model=schemas.Marked)
async def mark_my_notifications(body: schemas.MarkRead, actor: Member, n: NotificationsDep) -> Any:
    changed = await inbox.mark(n, actor, body.ids, read=body.read)
    return {"changed": changed, "unread": await inbox.unread_count(n, actor)}


@mine_router.get("/preferences", response_model=schemas.PreferencesRead)
async def get_my_preferences(actor: Member, n: NotificationsDep) -> Any:
    return await preferences.get_preferences(n, actor)


@mine_router.patch("/preferences", response_model=schemas.PreferencesRead)
async def change_my_preferences(body: schemas.PreferencesUpdate, actor: Member, n: NotificationsDep) -> Any:
    return await preferences.update_preferences(n, actor, body.model_dump(exclude_unset=True))


@mine_router.post("/digest", response_model=schemas.DigestSent)
async def send_my_digest_now(actor: Member, n: NotificationsDep) -> Any:
    """The digest of what waits for it, made now rather than at the digest hour."""
    return await digest.send_my_digest(n, actor)
