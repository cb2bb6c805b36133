"""Durable feeds: a name per outside system of an organization, and where its reading starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

# The same rule as the NATS credential's label (deploy_cli nats-tenant --label): the feed and the credential
# that reads it share the name.
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")

StartKind = Literal["new", "all", "time", "sequence"]


class BadFeed(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class StartPoint:
    """``new``: events from now on; ``all``: everything retained; ``time``: from a moment; ``sequence``: from
    a sequence number of the feed stream (the one a subscriber sees in each message's metadata)."""

    kind: StartKind = "new"
    time: datetime | None = None
    sequence: int | None = None

    def checked(self) -> StartPoint:
        if self.kind == "time" and (self.time is None or self.time.tzinfo is None):
            raise BadFeed("body.start.time", "a time with its UTC offset is required when from is 'time'")
        if self.kind == "sequence" and (self.sequence is None or self.sequence < 1):
            raise BadFeed("body.start.sequence", "a sequence of 1 or more is required when from is 'sequence'")
        return self

    def describe(self) -> str:
        if self.kind == "time" and self.time is not None:
            return f"time:{self.time.isoformat()}"
        if self.kind == "sequence":
            return f"sequence:{self.sequence}"
        return self.kind


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise BadFeed("path.name", "lower-case letters, digits and '-', starting with a letter or digit, at most 32")
    return name
