"""Partners and owners."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, field_validator

from ...app.tax1099.withholding import withholding_status
from ...domain.partners import PartnerKind, PartnerRole, PaymentMethod, mask_tax_id
from .common import (
    Digits,
    Email,
    Name,
    Routing,
    ShortText,
    StateCode,
    TaxId,
    _In,
)


class _PartnerFields(_In):
    email: Email | None = None
    phone: ShortText | None = None
    address_line1: Name | None = None
    address_line2: Name | None = None
    city: ShortText | None = None
    state: StateCode | None = None
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{5}(-[0-9]{4})?$")] | None = (
        None
    )
    bank_name: ShortText | None = None
    bank_routing_number: Routing | None = None
    bank_account_number: Digits | None = None
    bank_account_type: Literal["checking", "savings"] | None = Field(
        default=None, description="the account ACH credits go to (checking when not given)"
    )
    tax_id: TaxId | None = Field(default=None, description="SSN or EIN, nine digits; always answered masked")
    tin_type: Literal["ssn", "ein"] | None = Field(
        default=None, description="ssn (also an ITIN) or ein; without it, an individual's is an SSN, a company's an EIN"
    )
    b_notice_on: date | None = Field(default=None, description="the IRS's last B notice naming this TIN incorrect")
    tin_certified_on: date | None = Field(
        default=None, description="the last W-9 received (after a second B notice: the SSA's or IRS's validation)"
    )
    second_b_notice: bool | None = Field(default=None, description="two B notices within three calendar years")
    exempt_from_1099: bool | None = Field(default=None, description="an exempt payee (e.g. a corporation)")
    owner_number: ShortText | None = Field(
        default=None, description="the number statements name the owner by; without one, the next (1001, 1002, ...)"
    )


class PartnerCreate(_PartnerFields):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    name: Name
    kind: PartnerKind
    roles: Annotated[list[PartnerRole], Field(min_length=1)]
    payment_method: PaymentMethod = PaymentMethod.CHECK

    @field_validator("roles")
    @classmethod
    def _unique(cls, roles: list[PartnerRole]) -> list[PartnerRole]:
        return sorted(set(roles))


class PartnerUpdate(_PartnerFields):
    name: Name | None = None
    kind: PartnerKind | None = None
    roles: Annotated[list[PartnerRole], Field(min_length=1)] | None = None
    payment_method: PaymentMethod | None = None
    status: Literal["active", "inactive"] | None = None


class PartnerRead(BaseModel):
    id: UUID
    name: str
    kind: str
    roles: list[str]
    email: str | None
    phone: str | None
    address_line1: str | None
    address_line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    payment_method: str
    bank_name: str | None
    bank_routing_number: str | None
    bank_account_number: str | None = Field(description="masked: last four digits")
    bank_account_type: str | None = None
    tax_id: str | None = Field(description="masked: last four digits")
    tin_type: str | None = None
    b_notice_on: date | None = None
    tin_certified_on: date | None = None
    second_b_notice: bool = False
    exempt_from_1099: bool = False
    backup_withholding: str | None = Field(
        default=None, description="why payments are backup-withheld at 24% (tin-missing, b-notice), or null"
    )
    owner_number: str | None
    status: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> PartnerRead:
        account = row.get("bank_account_number")
        return cls.model_validate(
            {
                **row,
                "tax_id": mask_tax_id(row.get("tax_id")),
                "second_b_notice": bool(row.get("second_b_notice")),
                "exempt_from_1099": bool(row.get("exempt_from_1099")),
                "backup_withholding": withholding_status(row),
                "bank_account_number": ("****" + account[-4:]) if account else None,
            }
        )
