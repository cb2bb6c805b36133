"""The switches that make the stand-in misbehave the ways a real portal does, and the call counters.

Every switch applies to `POST /filings` only (health and admin endpoints always answer). A rate is a
probability between 0 and 1 (1 = every call), drawn from a seeded random generator so a test run repeats.
Order of effects on one call: the call is counted; an outage answers 503 at once; latency is waited; a
hang waits `hang_seconds` and then answers 504 (the client's timeout fires first); a 429 carries
`Retry-After`; an error answers 500; then the filing is validated and, if accepted, stored; a lost answer
stores the filing and then waits `hang_seconds` instead of answering, like a portal that filed the report
but whose reply never arrived.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal[
    "accepted",
    "duplicate",
    "conflict",
    "rejected",
    "bad_request",
    "disconnected",
    "outage",
    "hang",
    "rate_limited",
    "error",
    "lost",
]


class Faults(BaseModel):
    """The fault switches; `POST /admin/faults` takes any subset and changes only those."""

    model_config = ConfigDict(extra="forbid")

    latency_seconds: float = Field(default=0.0, ge=0, le=600, description="added before every filing answer")
    error_rate: float = Field(default=0.0, ge=0, le=1, description="share of calls answered 500")
    hang_rate: float = Field(default=0.0, ge=0, le=1, description="share of calls that hang (client timeout)")
    hang_seconds: float = Field(default=300.0, ge=0, le=3600, description="how long a hang or lost answer waits")
    rate_limit_rate: float = Field(default=0.0, ge=0, le=1, description="share of calls answered 429")
    retry_after_seconds: int = Field(default=1, ge=0, le=3600, description="Retry-After sent with a 429 or 503")
    outage: bool = Field(default=False, description="every filing call answers 503 (the portal is down)")
    lose_answer_rate: float = Field(default=0.0, ge=0, le=1, description="share of accepted filings never answered")

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Faults:
        """Initial switches from RRC_PORTAL_<FIELD> variables (e.g. RRC_PORTAL_ERROR_RATE=0.2)."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, str] = {}
        for name in cls.model_fields:
            raw = environ.get(f"RRC_PORTAL_{name.upper()}")
            if raw not in (None, ""):
                values[name] = raw
        return cls.model_validate(values)


class FaultState:
    """The live switches, the random source, and what the portal was asked."""

    def __init__(self, initial: Faults, seed: int | None = None) -> None:
        self.initial = initial
        self.faults = initial
        self.random = random.Random(seed)  # noqa: S311 - fault injection, not security
        self.calls = 0
        self.outcomes: Counter[str] = Counter()

    def update(self, changes: dict[str, object]) -> Faults:
        self.faults = Faults.model_validate({**self.faults.model_dump(), **changes})
        return self.faults

    def reset(self) -> None:
        """Back to healthy (not to the start-up switches: a test calls this to end every fault) and count anew."""
        self.faults = Faults()
        self.calls = 0
        self.outcomes.clear()

    def roll(self, rate: float) -> bool:
        return rate > 0 and (rate >= 1 or self.random.random() < rate)

    def count(self, outcome: Outcome) -> None:
        self.outcomes[outcome] += 1
