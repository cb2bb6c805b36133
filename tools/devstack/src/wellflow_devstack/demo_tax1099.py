"""The demo operator's last year of owner payments, for its 1099s.

Caprock moved its owner accounting to WellFlow this year: last year's checks were written by its previous
system, so they are entered as payments made outside WellFlow (``POST /api/v1/tax/1099/outside-payments``),
derived from the demo's own history: each lease's oil sold (the tickets' net barrels) at the month's posted
price, times each owner's decimal, paid at the end of the second month after the sale (Nat. Res. Code 91.402's
60 days for oil). Gas is left out of last year's figures. The owners' TINs (individuals: the SSA's numbers
reserved for advertising, 987-65-4320 to 4329; companies: made-up EINs), the filer's IRS settings, and a B notice
for one owner this year complete the picture (docs/1099.md, docs/demo.md)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import demo_history as dh
from .demo_client import Api

NAMESPACE = uuid.UUID("1c7e0a52-3f0e-4a77-b3c6-9d5f3a0e1099")
TINS = {
    "llano": "75-1000001",
    "mesquite": "75-1000002",
    "whitfield": "987-65-4321",
    "pruitt": "987-65-4322",
    "hollis": "75-1000003",
    "cordova": "987-65-4323",
}
KIND = {"royalty": "royalty", "orri": "royalty", "working_interest": "working_interest"}
PRODUCT = {"A": "oil", "B": "oil", "G": "condensate"}


def _months(year: int) -> list[tuple[date, date]]:
    """(sales month, paid on) for every check written in ``year``: sales of November two years back to October."""
    out = []
    for paid_month in range(1, 13):
        paid = date(year, paid_month, 1)
        sale = dh.month_start(dh.month_start(paid - timedelta(days=1)) - timedelta(days=1))
        out.append((sale, dh.month_end(paid)))
    return out


def last_year_payments(
    decks: dict[str, list[tuple[str, str, str]]], nets: dict[str, dict[date, Decimal]], last_month: date
) -> list[dict[str, Any]]:
    """One entry per owner, month paid and kind of interest (the operator pays itself no 1099)."""
    year = last_month.year - 1
    entries: dict[tuple[str, date, str], Decimal] = {}
    for sale, paid in _months(year):
        for lease, lines in decks.items():
            barrels = nets.get(lease, {}).get(sale)
            if not barrels:
                continue
            value = barrels * dh.posted_price(PRODUCT[lease], sale, last_month)
            for owner, interest, decimal in lines:
                if owner == "operator":
                    continue
                key = (owner, paid, KIND[interest])
                share = (value * Decimal(decimal)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                entries[key] = entries.get(key, Decimal(0)) + share
    return [
        {"owner": owner, "paid_on": paid, "kind": kind, "gross": gross}
        for (owner, paid, kind), gross in sorted(entries.items())
    ]


async def enter_tax_identities(api: Api, pid: dict[str, str], last_month: date) -> None:
    """The owners' TINs, a B notice for one owner and the filer's IRS settings: before any payment run, so a run
    knows whom to backup-withhold."""
    for key, tin in TINS.items():
        await api.call(f"enter {key}'s TIN", "PATCH", f"/api/v1/partners/{pid[key]}", json={"tax_id": tin})
    await api.call(
        "a B notice for Tomas Cordova",
        "PATCH",
        f"/api/v1/partners/{pid['cordova']}",
        json={"b_notice_on": last_month.replace(day=15).isoformat()},
    )
    settings = {
        "payer_tin": "75-2618042",
        "transmitter_control_code": "5D042",
        "contact_name": "Jo Books",
        "contact_phone": "432-555-0142",
        "contact_email": "jo.books@caprock-demo.com",
    }
    await api.call("the 1099 filer settings", "PUT", "/api/v1/tax/1099/settings", json=settings)


async def load_1099s(
    api: Api,
    decks: dict[str, list[tuple[str, str, str]]],
    nets: dict[str, dict[date, Decimal]],
    pid: dict[str, str],
    last_month: date,
) -> str:
    """Last year's owner payments as the previous system paid them."""
    entries = last_year_payments(decks, nets, last_month)
    for entry in entries:
        body = {
            "id": str(uuid.uuid5(NAMESPACE, f"{entry['owner']}/{entry['paid_on']}/{entry['kind']}")),
            "partner_id": pid[entry["owner"]],
            "paid_on": entry["paid_on"].isoformat(),
            "kind": entry["kind"],
            "gross": str(entry["gross"]),
            "memo": "paid by the previous accounting system",
        }
        await api.call(
            f"last year's payment to {entry['owner']}", "POST", "/api/v1/tax/1099/outside-payments", json=body
        )
    return f"{len(entries)} payments of {last_month.year - 1} for the 1099s"
