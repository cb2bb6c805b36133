"""A purchaser's check-stub detail as a CSV: the layout (which column holds which field, saved per purchaser and
reused) and the parsing of one line into a statement line, or the reason it cannot be one.

No industry exchange layout for check-stub detail (CDEX, Oildex, EnergyLink exports) has a public
specification; every purchaser's file is read through a saved column map (docs/reconciliation.md)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .money import cents

REQUIRED = ("check_number", "property_number", "month", "product", "volume", "gross_value")
OPTIONAL = (
    "check_date",
    "property_name",
    "well_number",
    "ticket_number",
    "gravity",
    "btu",
    "price",
    "net_value",
    "owner_interest",
)
FIELDS = REQUIRED + OPTIONAL
PRODUCTS = ("oil", "gas", "condensate")
DEFAULT_PRODUCT_CODES = {"oil": "oil", "gas": "gas", "condensate": "condensate", "cond": "condensate"}
NET_TOLERANCE = Decimal("0.01")  # net = gross - deductions - taxes, within a cent of rounding
GROSS_TOLERANCE = Decimal("1.00")  # volume x price may differ from the gross by rounding only (as app/prices.py)


class LayoutError(ValueError):
    """The layout itself is wrong (``field`` names the part)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Layout:
    """Where each field is in the purchaser's file. ``columns`` maps our field to the purchaser's header;
    ``deductions`` and ``taxes`` map a name of ours to a header each (any number); ``products`` maps the
    purchaser's product codes to oil, gas or condensate; ``month_format`` is a strptime format."""

    columns: dict[str, str]
    deductions: dict[str, str] = field(default_factory=dict)
    taxes: dict[str, str] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)
    month_format: str = "%Y-%m"
    date_format: str = "%Y-%m-%d"
    delimiter: str = ","

    @classmethod
    def of(cls, data: dict[str, Any]) -> Layout:
        columns = dict(data.get("columns") or {})
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise LayoutError("body.layout.columns", f"unknown fields {unknown}; known: {list(FIELDS)}")
        missing = [name for name in REQUIRED if not columns.get(name)]
        if missing:
            raise LayoutError("body.layout.columns", f"map a column to each of {missing}")
        products = {str(k).strip().lower(): v for k, v in (data.get("products") or {}).items()}
        bad = sorted({v for v in products.values() if v not in PRODUCTS})
        if bad:
            raise LayoutError("body.layout.products", f"products map to one of {list(PRODUCTS)}, not {bad}")
        delimiter = data.get("delimiter") or ","
        if len(delimiter) != 1:
            raise LayoutError("body.layout.delimiter", "one character, e.g. , or ; or a tab")
        return cls(
            columns=columns,
            deductions=dict(data.get("deductions") or {}),
            taxes=dict(data.get("taxes") or {}),
            products=products,
            month_format=data.get("month_format") or "%Y-%m",
            date_format=data.get("date_format") or "%Y-%m-%d",
            delimiter=delimiter,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "deductions": self.deductions,
            "taxes": self.taxes,
            "products": self.products,
            "month_format": self.month_format,
            "date_format": self.date_format,
            "delimiter": self.delimiter,
        }

    def headers(self) -> set[str]:
        return set(self.columns.values()) | set(self.deductions.values()) | set(self.taxes.values())


class LineError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _decimal(raw: str | None, column: str, *, required: bool) -> Decimal | None:
    text = (raw or "").strip().replace(",", "").replace("$", "")
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]  # accountants' negative
    if not text:
        if required:
            raise LineError(column, "empty")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise LineError(column, f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise LineError(column, f"{raw!r} is not a number")
    return value


@functools.lru_cache(maxsize=4096)
def _month(raw: str, month_format: str) -> date | None:
    """A statement names few months: each text is parsed once."""
    try:
        return datetime.strptime(raw, month_format).date().replace(day=1)
    except ValueError:
        return None


def parse_line(layout: Layout, row: dict[str, str]) -> dict[str, Any]:
    """One statement line from a CSV row (keyed by header); raises ``LineError`` naming the column."""
    c = layout.columns

    def text(name: str) -> str | None:
        header = c.get(name)
        value = (row.get(header) or "").strip() if header else ""
        return value or None

    def required(name: str) -> str:
        value = text(name)
        if value is None:
            raise LineError(c[name], "empty")
        return value

    raw_month = required("month")
    month = _month(raw_month, layout.month_format)
    if month is None:
        raise LineError(c["month"], f"{raw_month!r} does not match {layout.month_format}")
    check_date: date | None = None
    if text("check_date"):
        try:
            check_date = datetime.strptime(text("check_date") or "", layout.date_format).date()
        except ValueError:
            raise LineError(c["check_date"], f"does not match {layout.date_format}") from None
    code = required("product").lower()
    product = layout.products.get(code) or DEFAULT_PRODUCT_CODES.get(code)
    if product is None:
        raise LineError(c["product"], f"unknown product code {code!r}: add it to the layout's products")
    volume = _decimal(row.get(c["volume"]), c["volume"], required=True) or Decimal(0)
    gross = cents(_decimal(row.get(c["gross_value"]), c["gross_value"], required=True) or Decimal(0))
    price = _decimal(row.get(c["price"]), c["price"], required=False) if c.get("price") else None
    if price is None:
        if volume == 0:
            raise LineError(c["volume"], "zero volume and no price: the price cannot be derived")
        price = (gross / volume).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    elif abs(cents(volume * price) - gross) > GROSS_TOLERANCE:
        raise LineError(c["gross_value"], f"volume x price is {cents(volume * price)}, the gross {gross}")
    money = _money_parts(layout, row, gross)
    gravity = _decimal(row.get(c["gravity"]), c["gravity"], required=False) if c.get("gravity") else None
    btu = _decimal(row.get(c["btu"]), c["btu"], required=False) if c.get("btu") else None
    return {
        "check_number": required("check_number"),
        "check_date": check_date,
        "property_number": required("property_number"),
        "property_name": text("property_name"),
        "well_number": text("well_number"),
        "ticket_number": text("ticket_number"),
        "month": month,
        "product": product,
        "volume": volume,
        "gravity": gravity,
        "btu": btu,
        "price": price,
        "gross_value": gross,
        **money,
    }


def _money_parts(layout: Layout, row: dict[str, str], gross: Decimal) -> dict[str, Any]:
    """Deductions and taxes withheld (each column, and their totals), the net (checked when the file has it)
    and the owner interest shown."""
    c = layout.columns
    deductions = {
        name: cents(_decimal(row.get(header), header, required=False) or Decimal(0))
        for name, header in layout.deductions.items()
    }
    taxes = {
        name: cents(_decimal(row.get(header), header, required=False) or Decimal(0))
        for name, header in layout.taxes.items()
    }
    deductions_total = sum(deductions.values(), Decimal("0.00"))
    taxes_total = sum(taxes.values(), Decimal("0.00"))
    computed_net = gross - deductions_total - taxes_total
    net = _decimal(row.get(c["net_value"]), c["net_value"], required=False) if c.get("net_value") else None
    if net is not None and abs(cents(net) - computed_net) > NET_TOLERANCE:
        raise LineError(c["net_value"], f"gross less deductions and taxes is {computed_net}, the net {cents(net)}")
    interest = (
        _decimal(row.get(c["owner_interest"]), c["owner_interest"], required=False) if c.get("owner_interest") else None
    )
    if interest is not None and not Decimal(0) <= interest <= Decimal(1):
        raise LineError(c["owner_interest"], "an interest is a decimal between 0 and 1")
    return {
        "deductions": {k: str(v) for k, v in deductions.items()},
        "deductions_total": deductions_total,
        "taxes": {k: str(v) for k, v in taxes.items()},
        "taxes_withheld": taxes_total,
        "net_value": cents(net) if net is not None else computed_net,
        "owner_interest": interest,
    }
