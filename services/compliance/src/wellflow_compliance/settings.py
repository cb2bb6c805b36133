"""The compliance service's settings: the platform's (docs/CONVENTIONS.md), the RRC portal's (``submission``)
and the filing calendar's own."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from .submission.settings import PortalSettings


class ComplianceSettings(PortalSettings):
    form_pr_due_rule: str = Field(
        default="last_working_day",
        description="Form PR due date: last_working_day of the following month (RRC training material) or a day "
        "1-28 of it (moved to the next working day)",
    )
    form_pr_holidays: Literal["closed", "all"] = Field(
        default="closed",
        description="Texas holidays skipped: closed (national holidays and the days state offices close) or all "
        "(every holiday of Government Code 662.003)",
    )
    deadline_check_interval_seconds: float = Field(
        default=3600.0, gt=0, le=86400, description="seconds between looks for deadline reminders to send"
    )
    deadline_task_enabled: bool = Field(default=True, description="run the deadline reminder task in this process")

    @field_validator("form_pr_due_rule")
    @classmethod
    def _check_rule(cls, value: str) -> str:
        if value != "last_working_day" and not (value.isdigit() and 1 <= int(value) <= 28):
            raise ValueError("must be last_working_day or a day of the month 1-28")
        return value
