"""The filing calendar's schemas (split from ``schemas.py``): obligations, the go-live month, an obligation filed
outside WellFlow and its undo, and the audit trail of both."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from .schemas import _Body

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class GoLiveUpdate(_Body):
    go_live_month: str | None = Field(
        description="YYYY-MM: obligations due before the first day of this month are out of scope ('before "
        "WellFlow'); null (with clear: true) makes every obligation count",
        max_length=7,
    )
    clear: bool = Field(default=False, description="true with go_live_month null: no go-live month")
    reason: str | None = Field(default=None, max_length=500)

    @field_validator("go_live_month")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        if value is not None and not MONTH.match(value):
            raise ValueError("a month is written YYYY-MM, e.g. 2026-09")
        return value

    def month(self) -> date | None:
        return None if self.go_live_month is None else date.fromisoformat(self.go_live_month + "-01")


class ScopeRead(BaseModel):
    go_live_month: str | None = Field(description="YYYY-MM, or null: every obligation counts")
    source: Literal["set", "first_data", "unset"] = Field(
        description="set by a person; first_data: the month the organization's first data arrived (the default)"
    )
    set_by: str | None
    set_at: datetime | None
    reason: str | None


class FiledOutsideCreate(_Body):
    confirmation_number: str = Field(min_length=1, max_length=60, description="the RRC's or Comptroller's number")
    filed_on: date = Field(description="the day it was filed outside WellFlow")
    note: str | None = Field(default=None, max_length=500)


class FiledOutsideUndo(_Body):
    reason: str = Field(min_length=3, max_length=500, description="why the filing outside WellFlow is undone")


class AuditRead(BaseModel):
    id: UUID
    at: datetime
    by: str
    action: Literal["go_live_set", "filed_outside", "filed_outside_undone"]
    obligation_id: UUID | None
    detail: dict[str, Any]


class ObligationPaidUpdate(_Body):
    note: str | None = Field(default=None, max_length=500)


class TaxAmountRead(BaseModel):
    tax: Decimal
    regulatory_fees: Decimal
    total: Decimal
    lease_lines: int


class FiledOutsideRead(BaseModel):
    confirmation_number: str
    filed_on: date | None


class ObligationRead(BaseModel):
    id: UUID
    obligation: Literal["form_pr", "oil_tax", "gas_tax"]
    description: str
    period: date
    due_date: date
    days_left: int
    state: str
    in_scope: bool = Field(description="due on or after the first day of the go-live month (or no go-live month)")
    before_wellflow: bool = Field(description="out of scope and not done: due before the organization used WellFlow")
    overdue: bool
    done_at: datetime | None
    done_by: str | None
    note: str | None
    filed_outside: FiledOutsideRead | None = Field(default=None, description="filed outside WellFlow: its proof")
    amount: TaxAmountRead | None = Field(default=None, description="taxes: computed so far for leases with prices")
