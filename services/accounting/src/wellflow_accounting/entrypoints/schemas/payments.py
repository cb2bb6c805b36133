"""Payment runs, payments and their lines, the payment settings. Account numbers never appear: only the last 4."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, field_validator

from .common import Name, Routing, _In

Alnum = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9 ]+$")]


class PaymentRunCreate(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    distribution_run_id: UUID | None = Field(default=None, description="the finalized revenue run to pay")
    include_jib_credits: bool = Field(default=True, description="refund partners whose JIB balance is a credit")
    pay_date: date = Field(description="the ACH effective entry date and the checks' date")


class PaymentRunRead(BaseModel):
    id: UUID
    distribution_run_id: UUID | None
    include_jib_credits: bool
    pay_date: date
    status: str
    totals: dict[str, Any]
    warnings: list[dict[str, Any]]
    created_by: str
    created_at: datetime
    first_approved_by: str | None = None
    first_approved_at: datetime | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    has_ach_file: bool = False
    ach_file_id_modifier: str | None = None
    files_generated_at: datetime | None = None
    sent_by: str | None = None
    sent_at: datetime | None = None


class PayeePaymentRead(BaseModel):
    id: UUID
    run_id: UUID
    payee_kind: str
    partner_id: UUID
    name: str
    owner_number: str | None
    method: str
    status: str
    hold_reason: str | None
    gross: Decimal
    tax: Decimal
    deductions: Decimal
    netted: Decimal
    backup_withholding: Decimal
    interest: Decimal
    net: Decimal
    routing_number: str | None
    account_last4: str | None = Field(description="the account's last four digits; the number is never answered")
    account_type: str | None
    prenote: bool
    trace_number: str | None
    check_number: int | None
    reissue_of: UUID | None
    void_reason: str | None
    voided_at: datetime | None
    paid_at: datetime | None


class PaymentLineRead(BaseModel):
    kind: str
    owner_line_id: UUID | None
    lease_id: UUID | None
    lease_name: str | None
    sale_month: date | None
    product: str | None
    decimal: Decimal | None
    volume: Decimal | None
    gross: Decimal
    tax: Decimal
    deductions: Decimal
    net: Decimal
    due_on: date | None
    days_late: int | None
    note: str | None


class PayeePaymentDetailRead(PayeePaymentRead):
    lines: list[PaymentLineRead]


class PaymentSettingsUpdate(_In):
    immediate_destination: Routing | None = Field(default=None, description="the ODFI's routing number")
    immediate_destination_name: Annotated[Name, StringConstraints(max_length=23)] | None = None
    immediate_origin: (
        Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z ]{9,10}$")] | None
    ) = None
    immediate_origin_name: Annotated[Name, StringConstraints(max_length=23)] | None = None
    company_name: Annotated[Name, StringConstraints(max_length=16)] | None = None
    company_id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z]{10}$")] | None = None
    odfi_routing: Routing | None = None
    entry_description: Annotated[Alnum, StringConstraints(min_length=1, max_length=10)] | None = None
    require_two_approvers: bool | None = None
    next_check_number: Annotated[int, Field(ge=1, le=99_999_999)] | None = None
    prenote_wait_days: Annotated[int, Field(ge=0, le=30)] | None = None
    check_account_number: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{4,17}$")] | None = (
        None
    )

    @field_validator("entry_description", "require_two_approvers", "next_check_number", "prenote_wait_days")
    @classmethod
    def _always_has_a_value(cls, value: Any) -> Any:
        """These settings always have a value: null is refused (leave the field out to keep it). The bank's
        fields and the check account accept null, which clears them."""
        if value is None:
            raise ValueError("may not be null: give a value, or leave the field out to keep the current one")
        return value


class PaymentSettingsRead(BaseModel):
    immediate_destination: str | None
    immediate_destination_name: str | None
    immediate_origin: str | None
    immediate_origin_name: str | None
    company_name: str | None
    company_id: str | None
    odfi_routing: str | None
    entry_description: str
    require_two_approvers: bool
    next_check_number: int
    prenote_wait_days: int
    check_account_last4: str | None
    updated_by: str | None
    updated_at: datetime | None


class VoidCreate(_In):
    reason: Annotated[Name, StringConstraints(max_length=200)]
    reissue: bool = Field(default=False, description="write a new check for the same payee and amount")
    check_number: Annotated[int, Field(ge=1, le=99_999_999)] | None = Field(
        default=None, description="the new check's number; the next free one when not given"
    )
