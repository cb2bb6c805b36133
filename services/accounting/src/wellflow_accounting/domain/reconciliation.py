"""The three-way reconciliation of one lease and month: what the field measured (run tickets, gas
dispositions), what the purchaser paid (statement lines), what the state was told (the Form PR dispositions),
the tax (compliance's severance tax and the purchaser's withholding) and what owners were paid (the revenue
run). Every difference over its tolerance is an item with the cause named where it can be (docs/reconciliation.md).

Pure: the facts come in, the items go out; ``app/reconciliation.py`` keeps them current."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from .money import cents


class Cause(StrEnum):
    TICKET_NOT_PAID = "ticket_not_paid"  # a run ticket no statement line pays
    VOLUME_DIFFERS = "volume_differs"  # field volume and paid volume differ beyond measurement uncertainty
    PRICE_OUT_OF_RANGE = "price_out_of_range"  # a paid price outside the month's posted range
    TAX_WITHHELD_AND_PAID = "tax_withheld_and_paid"  # the purchaser withheld severance tax the operator also pays
    FORM_PR_DIFFERS = "form_pr_differs"  # the Form PR disposition differs from the volume sold
    REVENUE_DIFFERS = "revenue_differs"  # the revenue run paid owners on another value than the purchaser paid


@dataclass(frozen=True)
class Tolerances:
    """Defaults and their sources are in docs/reconciliation.md; an organization overrides them (the
    purchaser contract's terms)."""

    volume_percent: Decimal = Decimal("0.50")  # of the larger volume
    volume_minimum: Decimal = Decimal("1.00")  # BBL or MCF: never flag less than this
    money: Decimal = Decimal("1.00")  # dollars
    price_percent: Decimal = Decimal("0.00")  # widening of the posted range, percent

    @classmethod
    def of(cls, values: dict[str, Any] | None) -> Tolerances:
        values = values or {}
        defaults = cls()
        return cls(**{name: Decimal(str(values.get(name, getattr(defaults, name)))) for name in _NAMES})

    def as_dict(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in _NAMES}

    def volume_allowed(self, a: Decimal, b: Decimal) -> Decimal:
        return max(self.volume_minimum, max(abs(a), abs(b)) * self.volume_percent / 100)


_NAMES = ("volume_percent", "volume_minimum", "money", "price_percent")


@dataclass
class Facts:
    lease_id: UUID
    month: date
    tickets: list[dict[str, Any]] = field(default_factory=list)  # id, ticket_number, net_bbl, purchaser
    field_month: dict[str, Any] | None = None  # the lease_months copy: liquid_sold_bbl, gas_sold_mcf, revision
    lines: list[dict[str, Any]] = field(default_factory=list)  # applied statement lines
    severance: dict[str, str] = field(default_factory=dict)  # product -> tax the owners bear (compliance)
    revenue: dict[str, dict[str, Any]] = field(default_factory=dict)  # product -> run sale (gross_value, run_id)
    posted: dict[str, dict[str, Any]] = field(default_factory=dict)  # product -> low, high, source


@dataclass(frozen=True)
class Found:
    key: str
    cause: Cause
    product: str | None
    message: str
    expected: Decimal | None
    actual: Decimal | None
    unit: str | None
    links: dict[str, Any]

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected


def _line_link(line: dict[str, Any]) -> dict[str, str]:
    return {"id": str(line["id"]), "check_number": line["check_number"], "line_number": str(line["line_number"])}


def _ticket_link(ticket: dict[str, Any]) -> dict[str, str]:
    return {"id": str(ticket["id"]), "ticket_number": ticket["ticket_number"]}


def _liquid(lease_type: str | None) -> str:
    return "condensate" if lease_type == "gas" else "oil"


def reconcile(facts: Facts, tol: Tolerances) -> list[Found]:
    found: list[Found] = []
    by_product: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in facts.lines:
        by_product[line["product"]].append(line)
    liquid = _liquid((facts.field_month or {}).get("lease_type"))
    liquid_lines = by_product.get("oil", []) + by_product.get("condensate", [])
    explained: set[str] = set()  # products whose field/statement difference is already an item
    if liquid_lines:
        found += _tickets(facts, liquid_lines, tol, explained, liquid)
    for product, lines in sorted(by_product.items()):
        found += _prices(facts, product, lines, tol)
    found += _form_pr(facts, by_product, tol, explained, liquid)
    found += _taxes(facts, by_product)
    found += _revenue(facts, by_product, tol)
    return found


def _tickets(
    facts: Facts, lines: list[dict[str, Any]], tol: Tolerances, explained: set[str], liquid: str
) -> list[Found]:
    """Run tickets against the purchaser's liquid lines: ticket by ticket where the lines carry ticket numbers,
    in total where they do not."""
    by_ticket: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        if line.get("ticket_number"):
            by_ticket[line["ticket_number"]].append(line)
    found = (
        _ticket_by_ticket(facts, by_ticket, tol, liquid) if by_ticket else _tickets_in_total(facts, lines, tol, liquid)
    )
    if found:
        explained.add(liquid)
    return found


def _ticket_by_ticket(
    facts: Facts, by_ticket: dict[str, list[dict[str, Any]]], tol: Tolerances, liquid: str
) -> list[Found]:
    found = []
    for ticket in facts.tickets:
        paid = by_ticket.get(ticket["ticket_number"])
        net = Decimal(ticket["net_bbl"])
        number = ticket["ticket_number"]
        if not paid:
            found.append(
                Found(
                    f"{Cause.TICKET_NOT_PAID}:{number}",
                    Cause.TICKET_NOT_PAID,
                    liquid,
                    f"run ticket {number} ({net} BBL) is on no line of the purchaser's statement",
                    net,
                    Decimal(0),
                    "BBL",
                    {"tickets": [_ticket_link(ticket)], "statement_lines": []},
                )
            )
            continue
        volume = sum((Decimal(line["volume"]) for line in paid), Decimal(0))
        if abs(volume - net) > tol.volume_allowed(volume, net):
            found.append(
                Found(
                    f"{Cause.VOLUME_DIFFERS}:{number}",
                    Cause.VOLUME_DIFFERS,
                    liquid,
                    f"run ticket {number} measured {net} BBL, the purchaser paid for {volume} BBL",
                    net,
                    volume,
                    "BBL",
                    {"tickets": [_ticket_link(ticket)], "statement_lines": [_line_link(x) for x in paid]},
                )
            )
    return found


def _tickets_in_total(facts: Facts, lines: list[dict[str, Any]], tol: Tolerances, liquid: str) -> list[Found]:
    measured = sum((Decimal(t["net_bbl"]) for t in facts.tickets), Decimal(0))
    paid_volume = sum((Decimal(line["volume"]) for line in lines), Decimal(0))
    if not facts.tickets or abs(paid_volume - measured) <= tol.volume_allowed(paid_volume, measured):
        return []
    return [
        Found(
            f"{Cause.VOLUME_DIFFERS}:{liquid}",
            Cause.VOLUME_DIFFERS,
            liquid,
            f"the month's run tickets measured {measured} BBL, the purchaser paid for {paid_volume} BBL",
            measured,
            paid_volume,
            "BBL",
            {
                "tickets": [_ticket_link(t) for t in facts.tickets],
                "statement_lines": [_line_link(x) for x in lines],
            },
        )
    ]


def _prices(facts: Facts, product: str, lines: list[dict[str, Any]], tol: Tolerances) -> list[Found]:
    posted = facts.posted.get(product)
    if posted is None:
        return []
    widen = tol.price_percent / 100
    low, high = Decimal(posted["low"]) * (1 - widen), Decimal(posted["high"]) * (1 + widen)
    found = []
    for line in lines:
        price = Decimal(line["price"])
        if low <= price <= high:
            continue
        nearest = low if price < low else high
        found.append(
            Found(
                f"{Cause.PRICE_OUT_OF_RANGE}:{line['id']}",
                Cause.PRICE_OUT_OF_RANGE,
                product,
                f"check {line['check_number']} line {line['line_number']} pays {price} per unit, outside the month's "
                f"posted range {Decimal(posted['low'])}-{Decimal(posted['high'])} ({posted['source']})",
                nearest,
                price,
                "$/unit",
                {"statement_lines": [_line_link(line)], "posted_price": {k: str(v) for k, v in posted.items()}},
            )
        )
    return found


def _form_pr(
    facts: Facts, by_product: dict[str, list[dict[str, Any]]], tol: Tolerances, explained: set[str], liquid: str
) -> list[Found]:
    """The Form PR's disposition of the volume sold (liquid: run tickets by disposition code; gas: codes 02
    and 03) against the volume the purchaser paid for, unless the ticket comparison already named the cause."""
    if facts.field_month is None:
        return []
    found = []
    reported = {
        liquid: Decimal(facts.field_month["liquid_sold_bbl"]),
        "gas": Decimal(facts.field_month["gas_sold_mcf"]),
    }
    for product, disposed in reported.items():
        lines = by_product.get(product, [])
        if not lines or product in explained:
            continue
        paid = sum((Decimal(line["volume"]) for line in lines), Decimal(0))
        if abs(paid - disposed) <= tol.volume_allowed(paid, disposed):
            continue
        unit = "MCF" if product == "gas" else "BBL"
        found.append(
            Found(
                f"{Cause.FORM_PR_DIFFERS}:{product}",
                Cause.FORM_PR_DIFFERS,
                product,
                f"the Form PR disposes of {disposed} {unit} of {product} as sold, the purchaser paid for {paid} {unit}",
                disposed,
                paid,
                unit,
                {
                    "form_pr": {
                        "lease_month_revision": str(facts.field_month.get("revision")),
                        "product": product,
                        "disposition_codes": "02, 03" if product == "gas" else "00, 01, 02",
                        "volume": str(disposed),
                    },
                    "statement_lines": [_line_link(x) for x in lines],
                },
            )
        )
    return found


def _taxes(facts: Facts, by_product: dict[str, list[dict[str, Any]]]) -> list[Found]:
    found = []
    for product, lines in sorted(by_product.items()):
        withheld = sum((Decimal(line["taxes_withheld"]) for line in lines), Decimal(0))
        paid = Decimal(facts.severance.get(product, "0"))
        if withheld > 0 and paid > 0:
            found.append(
                Found(
                    f"{Cause.TAX_WITHHELD_AND_PAID}:{product}",
                    Cause.TAX_WITHHELD_AND_PAID,
                    product,
                    f"the purchaser withheld {cents(withheld)} of tax on the {product} and the operator's severance "
                    f"return also pays {cents(paid)}: the tax is paid twice",
                    paid,
                    cents(withheld),
                    "$",
                    {
                        "statement_lines": [_line_link(x) for x in lines if Decimal(x["taxes_withheld"]) > 0],
                        "tax_lines": [{"lease_id": str(facts.lease_id), "product": product, "tax": str(paid)}],
                    },
                )
            )
    return found


def _revenue(facts: Facts, by_product: dict[str, list[dict[str, Any]]], tol: Tolerances) -> list[Found]:
    found = []
    for product, sale in sorted(facts.revenue.items()):
        lines = by_product.get(product, [])
        if not lines:
            continue
        paid = sum((Decimal(line["gross_value"]) for line in lines), Decimal(0))
        distributed = Decimal(sale["gross_value"])
        if abs(paid - distributed) <= tol.money:
            continue
        found.append(
            Found(
                f"{Cause.REVENUE_DIFFERS}:{product}",
                Cause.REVENUE_DIFFERS,
                product,
                f"the revenue run distributed {product} worth {distributed}, the purchaser paid {paid}: "
                "run the month again (or correct it) so owners are paid on what was received",
                paid,
                distributed,
                "$",
                {
                    "revenue_run": {"run_id": str(sale["run_id"]), "sale_id": str(sale["id"])},
                    "statement_lines": [_line_link(x) for x in lines],
                },
            )
        )
    return found
