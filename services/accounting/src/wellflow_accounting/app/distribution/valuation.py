"""Valuing a month's sales: what each lease sold (production's lease-month, or run tickets), at which price
(a purchaser statement, the lease's price, or the month's price), with which severance tax (compliance's, to
the cent; "pending" when compliance has none yet, which keeps the run from being finalized), and which revenue
deck shares it. Where accounting's value of a sale differs from the value compliance taxed, the run says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from ...domain import distribution as dist
from ...domain.decks import DeckKind, DeckLine
from ..ports import AccountingWork


@dataclass
class MonthInputs:
    """Everything one month's valuation needs, loaded in a few queries."""

    month: date
    volumes: dict[UUID, dict[str, Any]]  # lease -> lease_months row
    prices: dict[tuple[str, UUID | None], dict[str, Any]]  # (product, lease or None) -> price row
    taxes: dict[UUID, dict[str, str]]  # lease -> product -> tax
    tax_revisions: dict[UUID, int]  # lease -> compliance's revision of that tax
    tax_detail: dict[UUID, dict[str, Any]]  # lease -> compliance's values, unsold-volume tax, sources, warnings
    decks: dict[UUID, list[DeckLine]]
    lease_types: dict[UUID, str]  # from the wells service's lease events


async def month_inputs(uow: AccountingWork, month: date, lease_ids: set[UUID] | None = None) -> MonthInputs:
    volumes = await uow.volumes.months(month, lease_ids)
    lease_types = await uow.leases.lease_types()
    # Oil sold on run tickets counts even before production's lease-month event arrives.
    for lease_id, barrels in (await uow.volumes.ticket_barrels(month, lease_ids)).items():
        if lease_id not in volumes:
            volumes[lease_id] = {
                "lease_id": lease_id,
                "revision": 0,
                "lease_type": lease_types.get(lease_id, "oil"),
                "liquid_sold_bbl": barrels,
                "gas_sold_mcf": Decimal(0),
                "gas_sold_estimated": False,
            }
    price_rows = await uow.prices.for_month(month)
    tax_rows = await uow.volumes.severance_taxes(month)
    return MonthInputs(
        month=month,
        volumes=volumes,
        prices={(row["product"], row["lease_id"]): row for row in price_rows},
        taxes={row["lease_id"]: row["lines"] for row in tax_rows},
        tax_revisions={row["lease_id"]: row["revision"] for row in tax_rows},
        tax_detail={row["lease_id"]: row.get("detail") or {} for row in tax_rows},
        decks=await uow.decks.in_effect(DeckKind.REVENUE, month),
        lease_types=lease_types,
    )


def _products(lease_type: str) -> tuple[tuple[dist.Product, str], ...]:
    liquid = dist.Product.OIL if lease_type == "oil" else dist.Product.CONDENSATE
    return ((liquid, "liquid_sold_bbl"), (dist.Product.GAS, "gas_sold_mcf"))


def value_lease(inputs: MonthInputs, lease_id: UUID, warnings: list[dict[str, Any]]) -> list[dist.Sale]:
    """The lease's sales for the month, valued; what cannot be valued is reported in ``warnings``."""
    volumes = inputs.volumes.get(lease_id)
    sales = []
    lease_type = volumes["lease_type"] if volumes else inputs.lease_types.get(lease_id, "oil")
    for product, column in _products(lease_type):
        volume = Decimal(volumes[column]) if volumes else Decimal(0)
        statement_row = inputs.prices.get((product.value, lease_id))
        statement = None
        price = None
        if statement_row is not None and statement_row["source"] == "purchaser_statement":
            statement = dist.PurchaserStatement(
                statement_row["volume"],
                statement_row["price"],
                statement_row["gross_value"],
                statement_row["deductions"],
            )
        else:
            row = statement_row or inputs.prices.get((product.value, None))
            price = row["price"] if row else None
        if statement is None and volume <= 0:
            continue
        tax = inputs.taxes.get(lease_id, {}).get(product.value)
        sale = dist.value_sale(
            lease_id,
            product,
            volume=volume,
            price=price,
            statement=statement,
            compliance_tax=Decimal(tax) if tax is not None else None,
        )
        if sale is None:
            if statement is None and price is None:
                warnings.append(
                    {"lease_id": str(lease_id), "product": product.value, "problem": "no price for the month"}
                )
            continue
        _check_tax(inputs, lease_id, sale, warnings)
        if product is dist.Product.GAS and volumes and volumes.get("gas_sold_estimated") and statement is None:
            warnings.append(
                {
                    "lease_id": str(lease_id),
                    "product": "gas",
                    "problem": "no gas disposition recorded: all the lease's gas was taken as sold",
                }
            )
        sales.append(sale)
    return sales


TAX_PENDING = "tax-pending"
VALUE_DIFFERS = "value-differs"


def _check_tax(inputs: MonthInputs, lease_id: UUID, sale: dist.Sale, warnings: list[dict[str, Any]]) -> None:
    """The run's warnings about the sale's tax: none from compliance yet (the run cannot be finalized), or
    compliance taxed another value than the one owners are paid on (a reconciliation item)."""
    where = {"lease_id": str(lease_id), "product": sale.product.value, "month": inputs.month.isoformat()}
    if sale.tax_source == "pending":
        warnings.append(
            where
            | {
                "code": TAX_PENDING,
                "problem": "severance tax pending: compliance has not computed this lease-month's tax yet "
                "(enter the month's prices there); the run cannot be finalized until it has",
            }
        )
        return
    taxed = (inputs.tax_detail.get(lease_id) or {}).get("values", {}).get(sale.product.value)
    if taxed is not None and Decimal(taxed) != sale.gross_value:
        warnings.append(
            where
            | {
                "code": VALUE_DIFFERS,
                "problem": f"compliance taxed a value of {Decimal(taxed)} for this sale, owners are paid on "
                f"{sale.gross_value}: reconcile the prices (run tickets, purchaser statement, entered price)",
            }
        )


@dataclass
class OwnerLine:
    sale_id: UUID
    sale: dist.Sale
    month: date
    share: dist.OwnerShare | dist.Adjustment
    is_adjustment: bool
    disposition: str
