"""The compliance service's settings: the platform's (docs/CONVENTIONS.md), the RRC portal's and the
submission queue's (``PortalSettings``), and the filing calendar's own (``ComplianceSettings``).

Filing Form PR: which adapter files (``RRC_PORTAL_ADAPTER``), where the portal is, and how hard and how long
to try. The default, ``manual``, sends nothing anywhere: submitting prepares the filing package and the report
waits for the RRC's confirmation number, which a person records (docs/compliance-submission.md). ``stand-in``
(tools/rrc-portal) is for the dev stack and the demo only: its answers are labelled, and they never close a
filing obligation. ``rrc`` is the place for a real integration (future work: it refuses every call).

`ComplianceSettings` inherits from `PortalSettings`, so these are read from the environment under their
upper-cased field names (RRC_PORTAL_URL, PORTAL_TIMEOUT_SECONDS, ...) like every other service variable.
Three layers of patience, from the inside out: one HTTP call waits at most `portal_timeout_seconds`; one
attempt retries transient failures `portal_retry_attempts` times (tenacity, exponential with jitter, or the
portal's Retry-After); the durable queue schedules up to `submission_max_attempts` attempts with its own,
longer backoff before the submission is marked failed and an alert is raised.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from wellflow_servicekit.settings import ServiceSettings

ADAPTERS = ("manual", "stand-in", "rrc")


class PortalSettings(ServiceSettings):
    """The RRC portal adapter, its circuit breaker and the submission retry queue."""

    rrc_portal_adapter: str = Field(
        default="manual",
        description="how reports are filed: manual (prepared, awaiting the RRC's confirmation number; the default), "
        "stand-in (tools/rrc-portal: the dev stack and the demo only) or rrc (future work)",
    )
    rrc_portal_url: str = Field(
        default="http://127.0.0.1:8190",
        description="base URL of the RRC portal stand-in (tools/rrc-portal); used only by the stand-in adapter",
    )
    portal_timeout_seconds: float = Field(
        default=10.0, gt=0, le=300, description="seconds one HTTP call to the portal may take before it is abandoned"
    )
    breaker_fail_max: int = Field(
        default=5, ge=1, le=1000, description="consecutive portal failures that open the circuit breaker"
    )
    breaker_reset_timeout_seconds: float = Field(
        default=30.0, gt=0, le=3600, description="seconds the breaker stays open before one trial call"
    )
    portal_retry_attempts: int = Field(
        default=3, ge=1, le=20, description="calls within one submission attempt for transient failures (tenacity)"
    )
    portal_retry_initial_seconds: float = Field(
        default=0.5, gt=0, le=60, description="first wait between calls within one attempt (doubles, with jitter)"
    )
    portal_retry_max_seconds: float = Field(
        default=5.0, gt=0, le=300, description="longest wait between calls within one attempt, Retry-After included"
    )
    submission_max_attempts: int = Field(
        default=10, ge=1, le=1000, description="queued attempts before a submission is marked failed with an alert"
    )
    submission_backoff_base_seconds: float = Field(
        default=30.0, gt=0, le=86400, description="wait before the second queued attempt (doubles, with jitter)"
    )
    submission_backoff_max_seconds: float = Field(
        default=3600.0, gt=0, le=604800, description="longest wait between queued attempts"
    )
    submission_poll_interval_seconds: float = Field(
        default=1.0, gt=0, le=300, description="seconds between looks for due retries (new submissions wake the worker)"
    )
    submission_batch_size: int = Field(
        default=10, ge=1, le=500, description="due submissions one worker claims at once"
    )
    submission_worker_enabled: bool = Field(
        default=True, description="run the submission worker in this process (false: API only)"
    )

    @field_validator("rrc_portal_url")
    @classmethod
    def _check_portal_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("rrc_portal_adapter")
    @classmethod
    def _check_adapter(cls, value: str) -> str:
        if value not in ADAPTERS:
            raise ValueError("must be manual, stand-in or rrc")
        return value

    @model_validator(mode="after")
    def _check_backoff_order(self) -> PortalSettings:
        if self.submission_backoff_max_seconds < self.submission_backoff_base_seconds:
            raise ValueError("SUBMISSION_BACKOFF_MAX_SECONDS must not be below SUBMISSION_BACKOFF_BASE_SECONDS")
        if self.portal_retry_max_seconds < self.portal_retry_initial_seconds:
            raise ValueError("PORTAL_RETRY_MAX_SECONDS must not be below PORTAL_RETRY_INITIAL_SECONDS")
        return self


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
