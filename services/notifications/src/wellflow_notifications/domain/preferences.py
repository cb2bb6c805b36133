"""A member's notification preferences: which kinds reach them on which channels, quiet hours (no email or SMS
then: they wait until the quiet hours end), and a daily digest of their email instead of one mail each.

A member who never changed anything has their role's defaults: every kind the role receives, in the console
and by email (production alerts also by SMS for a pumper, once a mobile number is given), no quiet hours, and
for an owner, who hears about everything, one morning digest at 07:00 Central instead of each mail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .kinds import CHANNELS, EMAIL, IN_APP, KINDS, SMS, default_channels

DEFAULT_TIME_ZONE = "America/Chicago"  # the Texas oil patch's (most of the state is Central)
DEFAULT_DIGEST_HOUR = 7
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


class PreferenceError(ValueError):
    """A preference that cannot be kept as given; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Preferences:
    role: str
    channels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # only the kinds the member changed
    quiet_start: time | None = None
    quiet_end: time | None = None
    time_zone: str = DEFAULT_TIME_ZONE
    digest: bool = False
    digest_hour: int = DEFAULT_DIGEST_HOUR
    sms_number: str | None = None

    def channels_for(self, kind: str) -> tuple[str, ...]:
        """The channels ``kind`` reaches this member on; none for a kind their role does not receive."""
        if kind not in KINDS or self.role not in KINDS[kind].roles:
            return ()
        chosen = self.channels.get(kind)
        return tuple(chosen) if chosen is not None else default_channels(self.role, kind)

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def in_quiet_hours(self, moment: datetime) -> bool:
        if self.quiet_start is None or self.quiet_end is None:
            return False
        local = moment.astimezone(self.zone()).time()
        start, end = self.quiet_start, self.quiet_end
        return start <= local < end if start < end else (local >= start or local < end)

    def release_at(self, moment: datetime) -> datetime:
        """When an email or SMS made at ``moment`` may go: at once, or when the quiet hours end."""
        if not self.in_quiet_hours(moment):
            return moment
        assert self.quiet_end is not None
        local = moment.astimezone(self.zone())
        end = datetime.combine(local.date(), self.quiet_end, tzinfo=self.zone())
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), self.quiet_end, tzinfo=self.zone())
        return end.astimezone(moment.tzinfo)

    def next_digest_at(self, moment: datetime) -> datetime:
        """The next digest time at or after ``moment`` (the member's local ``digest_hour``)."""
        local = moment.astimezone(self.zone())
        at = datetime.combine(local.date(), time(self.digest_hour), tzinfo=self.zone())
        if at < local:
            at = datetime.combine(local.date() + timedelta(days=1), time(self.digest_hour), tzinfo=self.zone())
        return at.astimezone(moment.tzinfo)

    def digest_day(self, moment: datetime) -> str:
        """The local date a digest sent at ``moment`` is for (its key: one digest a day)."""
        return moment.astimezone(self.zone()).date().isoformat()

    def as_dict(self) -> dict[str, Any]:
        return {
            "channels": {kind: list(self.channels_for(kind)) for kind in KINDS if self.role in KINDS[kind].roles},
            "quiet_start": self.quiet_start,
            "quiet_end": self.quiet_end,
            "time_zone": self.time_zone,
            "digest": self.digest,
            "digest_hour": self.digest_hour,
            "sms_number": self.sms_number,
        }


def defaults_for(role: str) -> Preferences:
    return Preferences(role=role, digest=role == "owner")


def changed(current: Preferences, changes: dict[str, Any]) -> Preferences:
    """``current`` with ``changes`` applied, checked; raises PreferenceError naming the field."""
    updated = current
    if "channels" in changes:
        chosen = _checked_channels(current.role, changes["channels"])
        updated = replace(updated, channels={**current.channels, **chosen})
    if "time_zone" in changes:
        _check_zone(changes["time_zone"])
        updated = replace(updated, time_zone=changes["time_zone"])
    if "quiet_start" in changes or "quiet_end" in changes:
        start = changes.get("quiet_start", current.quiet_start)
        end = changes.get("quiet_end", current.quiet_end)
        if (start is None) != (end is None):
            raise PreferenceError("body.quiet_end" if end is None else "body.quiet_start", "quiet hours need both ends")
        if start is not None and start == end:
            raise PreferenceError("body.quiet_end", "must differ from quiet_start")
        updated = replace(updated, quiet_start=start, quiet_end=end)
    if "digest" in changes:
        updated = replace(updated, digest=bool(changes["digest"]))
    if "digest_hour" in changes:
        hour = changes["digest_hour"]
        if not isinstance(hour, int) or not 0 <= hour <= 23:
            raise PreferenceError("body.digest_hour", "must be an hour from 0 to 23")
        updated = replace(updated, digest_hour=hour)
    if "sms_number" in changes:
        number = changes["sms_number"]
        if number is not None and not _E164.match(number):
            raise PreferenceError("body.sms_number", "must be a phone number in E.164 form, e.g. +14325550123")
        updated = replace(updated, sms_number=number)
    return updated


def _checked_channels(role: str, channels: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(channels, dict):
        raise PreferenceError("body.channels", "must map a kind to its channels")
    checked: dict[str, tuple[str, ...]] = {}
    for kind, wanted in channels.items():
        if kind not in KINDS:
            raise PreferenceError(f"body.channels.{kind}", f"is not a kind of notification ({', '.join(KINDS)})")
        if role not in KINDS[kind].roles:
            raise PreferenceError(f"body.channels.{kind}", f"does not reach the {role} role")
        unknown = [channel for channel in wanted if channel not in CHANNELS]
        if unknown:
            raise PreferenceError(f"body.channels.{kind}", f"unknown channel {unknown[0]!r} ({', '.join(CHANNELS)})")
        checked[kind] = tuple(channel for channel in CHANNELS if channel in wanted)
    return checked


def _check_zone(name: Any) -> None:
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise PreferenceError("body.time_zone", f"unknown time zone {name!r} (e.g. America/Chicago)") from None


__all__ = ["EMAIL", "IN_APP", "SMS", "PreferenceError", "Preferences", "changed", "defaults_for"]
