"""Purchaser statements in and the reconciliation: request bodies (checked before anything is written) and
the answers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from .common import LongText, Name, Price, ShortText, _In

Product = Literal["oil", "gas", "condensate"]
Cause = Literal[
    "ticket_not_paid",
    "volume_differs",
    "price_out_of_range",
    "tax_withheld_and_paid",
    "form_pr_differs",
    "revenue_differs",
]


class LayoutIn(_In):
    columns: dict[str, ShortText] = Field(
        description="our field -> the purchaser's column header; required: check_number, property_number, month, "
        "product, volume, gross_value; optional: check_date, property_name, well_number, ticket_number, gravity, "
        "btu, price, net_value, owner_interest"
    )
    deductions: dict[ShortText, ShortText] = Field(default_factory=dict, description="deduction name -> header")
    taxes: dict[ShortText, ShortText] = Field(
        default_factory=dict, description="tax withheld by the purchaser: name -> header"
    )
    products: dict[ShortText, Product] = Field(default_factory=dict, description="purchaser's code -> product")
    month_format: ShortText = Field(default="%Y-%m", description="strptime format of the production month")
    date_format: ShortText = Field(default="%Y-%m-%d", description="strptime format of the check date")
    delimiter: str = Field(default=",", min_length=1, max_length=1)


class ColumnMapSave(_In):
    purchaser_id: UUID
    name: Name
    layout: LayoutIn


class ColumnMapRead(BaseModel):
    id: UUID
    purchaser_id: UUID
    name: str
    layout: dict[str, Any]
    created_by: str
    updated_at: datetime


class PropertyMap(_In):
    purchaser_id: UUID
    property_number: ShortText
    lease_id: UUID


class HeldPropertyRead(BaseModel):
    purchaser_id: UUID
    property_number: str
    property_name: str | None
    held_lines: int
    held_gross_value: Decimal
    first_month: date
    last_month: date


class StatementLineRead(BaseModel):
    id: UUID
    import_id: UUID
    line_number: int
    purchaser_id: UUID
    check_number: str
    check_date: date | None
    property_number: str
    property_name: str | None
    well_number: str | None
    ticket_number: str | None
    lease_id: UUID | None
    month: date
    product: str
    volume: Decimal
    gravity: Decimal | None
    btu: Decimal | None
    price: Decimal
    gross_value: Decimal
    deductions: dict[str, str]
    deductions_total: Decimal
    taxes: dict[str, str]
    taxes_withheld: Decimal
    net_value: Decimal
    owner_interest: Decimal | None


class ItemRead(BaseModel):
    id: UUID
    lease_id: UUID
    month: date
    key: str
    cause: str
    product: str | None
    state: str
    message: str
    expected: Decimal | None
    actual: Decimal | None
    difference: Decimal | None
    unit: str | None
    links: dict[str, Any]
    assignee: str | None
    resolution: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    raised_at: datetime
    updated_at: datetime


class ItemResolve(_In):
    resolution: LongText
    assignee: ShortText | None = None


class ItemAssign(_In):
    assignee: ShortText | None


class TolerancesIn(_In):
    volume_percent: Decimal | None = Field(default=None, ge=0, le=100, description="percent of the larger volume")
    volume_minimum: Decimal | None = Field(default=None, ge=0, description="BBL or MCF never flagged below")
    money: Decimal | None = Field(default=None, ge=0, description="dollars")
    price_percent: Decimal | None = Field(default=None, ge=0, le=100, description="widening of the posted range")


class PostedPriceIn(_In):
    month: date
    product: Product
    low: Price
    high: Price
    source: ShortText | None = Field(default=None, description="e.g. the purchaser's posting bulletin")


class PostedPriceRead(BaseModel):
    month: date
    product: str
    low: Decimal
    high: Decimal
    source: str
    entered_by: str
    entered_at: datetime
