"""A member's preferences: read (their own, with the role's defaults filled in) and changed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, invalid

from ..domain.preferences import PreferenceError, Preferences, changed, defaults_for
from .common import Notifications
from .ports import NotificationsWork, Row


def preferences_of(role: str, stored: Row | None) -> Preferences:
    if stored is None:
        return defaults_for(role)
    return Preferences(
        role=role,
        channels={kind: tuple(channels) for kind, channels in (stored["channels"] or {}).items()},
        quiet_start=stored["quiet_start"],
        quiet_end=stored["quiet_end"],
        time_zone=stored["time_zone"],
        digest=stored["digest"],
        digest_hour=stored["digest_hour"],
        sms_number=stored["sms_number"],
    )


async def _member(uow: NotificationsWork, actor: Actor) -> Row:
    member = await uow.roster.member(_member_id(actor))
    if member is None or not member["active"]:
        raise NotFound("Notifications do not know you as a member of this organization yet; try again in a moment.")
    return member


def _member_id(actor: Actor) -> Any:
    from uuid import UUID

    try:
        return UUID(str(actor.id))
    except ValueError:
        raise NotFound("Only a member (not an API key) has notification preferences.") from None


async def get_preferences(n: Notifications, actor: Actor) -> Row:
    async with n.uow(actor) as uow:
        member = await _member(uow, actor)
        prefs = preferences_of(member["role"], await uow.preferences.get(member["id"]))
    return {"member_id": member["id"], "role": member["role"], **prefs.as_dict()}


async def update_preferences(n: Notifications, actor: Actor, changes: dict[str, Any]) -> Row:
    async with n.uow(actor) as uow:
        member = await _member(uow, actor)
        current = preferences_of(member["role"], await uow.preferences.get(member["id"]))
        try:
            updated = changed(current, changes)
        except PreferenceError as exc:
            raise invalid(exc.field, str(exc)) from None
        row = asdict(updated)
        row.pop("role")
        row["channels"] = {kind: list(channels) for kind, channels in updated.channels.items()}
        await uow.preferences.put({**row, "member_id": member["id"], "updated_at": n.clock()})
    return {"member_id": member["id"], "role": member["role"], **updated.as_dict()}
