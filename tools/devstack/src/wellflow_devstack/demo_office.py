"""The demo tenant's back office, entered by the accountant: owners and decks, prices, a finalized revenue run,
lease costs with an issued JIB, an AFE taken to in progress with the partners' elections, and the owners paid
(``demo_payments``)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx

from . import demo_battery as battery
from . import demo_history as dh
from .demo_client import Api, DemoError
from .demo_history import COMPANY, PURCHASER
from .demo_payments import load_payments
from .demo_statements import load_statement
from .demo_tax1099 import enter_tax_identities, load_1099s

NAMESPACE = uuid.UUID("6f1d2c4e-8a8b-4c59-9a53-0d5e1f0c7a01")  # client-chosen ids for accounting's retried creates


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


PARTNERS = {
    "operator": (COMPANY, "company", ["working_interest_partner"]),
    "llano": ("Llano Basin Partners LP", "company", ["working_interest_partner"]),
    "mesquite": ("Mesquite Creek Resources LLC", "company", ["working_interest_partner"]),
    "whitfield": ("Ada Whitfield", "individual", ["royalty_owner"]),
    "pruitt": ("Estate of J. R. Pruitt", "individual", ["royalty_owner"]),
    "hollis": ("Hollis Family Minerals LLC", "company", ["royalty_owner"]),
    "cordova": ("Tomas Cordova", "individual", ["orri_owner"]),
    "tanner": ("Bessie Lou Tanner", "individual", ["royalty_owner"]),  # a sliver: held under the $100 minimum
    "purchaser": (PURCHASER, "company", ["purchaser"]),
    "gatherer": ("West Texas Gas Gathering", "company", ["purchaser"]),
    "vendor": ("Big Spring Well Service", "company", ["vendor"]),
}
REVENUE_DECKS = {
    "A": [
        ("whitfield", "royalty", "0.1875"),
        ("cordova", "orri", "0.03125"),
        ("operator", "working_interest", "0.5859375"),
        ("llano", "working_interest", "0.1953125"),
    ],
    "B": [
        ("pruitt", "royalty", "0.125"),
        ("whitfield", "royalty", "0.0625"),
        ("cordova", "orri", "0.03125"),
        ("operator", "working_interest", "0.5859375"),
        ("mesquite", "working_interest", "0.1953125"),
    ],
    "G": [
        ("hollis", "royalty", "0.1995"),
        ("tanner", "royalty", "0.0005"),
        ("operator", "working_interest", "0.48"),
        ("llano", "working_interest", "0.32"),
    ],
}
COST_DECKS = {
    "A": [("operator", "0.75"), ("llano", "0.25")],
    "B": [("operator", "0.75"), ("mesquite", "0.25")],
    "G": [("operator", "0.6"), ("llano", "0.4")],
}
LEASE_COSTS = [
    ("A", "lease_operating", "Pumper contract", "1850.00"),
    ("A", "lease_operating", "Paraffin treating chemicals", "642.18"),
    ("B", "workover", "Rod string repair, Pruitt 2", "12480.00"),
    ("G", "lease_operating", "Compressor rental", "2300.00"),
]


async def load_office(api: Api, history: dh.History, ids: dict[str, Any], nets: dict[str, dict[date, Decimal]]) -> str:
    """Owners and decks, prices, a finalized revenue run, lease costs with an issued JIB, an AFE in progress."""
    pid = await _partners(api)
    await _decks(api, history, ids, pid)
    month = dh.last_full_month(history)
    await _prices(api, month)
    await _joint_interest_billing(api, history, ids, pid, month)
    run = await _revenue_run(api, history, ids, nets, month)
    afe = await _afe(api, history, ids, pid)
    # a month whose owners were never paid (three before the last): run and finalized now, paid late
    unpaid_month = month
    for _ in range(3):
        unpaid_month = dh.month_start(unpaid_month - timedelta(days=1))
    # (only when the history covers that whole month: a short demo pays last month alone)
    unpaid = await _revenue_run(api, history, ids, nets, unpaid_month) if history.first_day <= unpaid_month else None
    agreements = [_id("agreement", lease) for lease in ("A", "G")]  # Llano's: its JIB balance is netted
    await enter_tax_identities(api, pid, month)
    paid = await load_payments(api, pid, agreements, run, unpaid)
    tax = await load_1099s(api, REVENUE_DECKS, nets, pid, month)
    statement = await load_statement(api, ids, pid["purchaser"], month)
    gross = run.get("totals", {}).get("gross_value") or run.get("totals", {}).get("gross")
    return f"revenue {month:%Y-%m} {run['status']} (gross ${gross}); JIB issued; AFE {afe}; {paid}; {tax}; {statement}"


async def _partners(api: Api) -> dict[str, str]:
    """Every partner of the demo; their ids by key."""
    pid: dict[str, str] = {}
    for key, (name, kind, roles) in PARTNERS.items():
        row = await api.json(
            f"add partner {name}",
            "POST",
            "/api/v1/partners",
            json={
                "id": _id("partner", key),
                "name": name,
                "kind": kind,
                "roles": roles,
                "state": "TX",
                "city": "Big Spring",
                "postal_code": "79720",
            },
        )
        pid[key] = row["id"]
    return pid


async def _decks(api: Api, history: dh.History, ids: dict[str, Any], pid: dict[str, str]) -> None:
    """Each lease's revenue and cost deck (retried until accounting knows the lease), each summing to 1."""
    effective = history.first_day.replace(day=1).isoformat()
    for lease, lines in REVENUE_DECKS.items():
        cost_lines = [
            {"partner_id": pid[p], "interest_type": "working_interest", "decimal": d} for p, d in COST_DECKS[lease]
        ]
        for kind, deck_lines in (
            ("revenue", [{"partner_id": pid[p], "interest_type": t, "decimal": d} for p, t, d in lines]),
            ("cost", cost_lines),
        ):
            body = {
                "id": _id("deck", lease, kind),
                "lease_id": ids["leases"][lease],
                "kind": kind,
                "effective_from": effective,
                "lines": deck_lines,
            }
            await api.until(
                f"enter the {kind} deck of lease {lease}",
                lambda b=body, k=kind: api.call(
                    f"enter the {k} deck", "POST", "/api/v1/ownership-decks", json=b, expect=(200, 201, 422)
                ),
                lambda r: r.status_code in (200, 201) or "known to accounting" not in r.text,
            )
            check = await api.call(
                f"read the {kind} deck of lease {lease}", "GET", f"/api/v1/ownership-decks/{body['id']}"
            )
            if Decimal(str(check.json()["total"])) != 1:
                raise DemoError(f"enter the {kind} deck of lease {lease}: it sums to {check.json()['total']}")


async def _prices(api: Api, month: date) -> None:
    """The last twelve months' posted prices, ending ``month``: entered once, here. Compliance values each
    lease's severance tax with them (the oil sold on run tickets at the tickets' price), the tax the revenue run
    takes (a run cannot be finalized while a lease's tax is pending)."""
    m = month
    for back in range(12):
        if back:
            m = dh.month_start(m - timedelta(days=1))
        for product in ("oil", "gas", "condensate"):
            await api.call(
                f"set the {product} price for {m:%Y-%m}",
                "PUT",
                "/api/v1/prices",
                json={"month": m.isoformat(), "product": product, "price": str(dh.posted_price(product, m, month))},
            )


async def _joint_interest_billing(
    api: Api, history: dh.History, ids: dict[str, Any], pid: dict[str, str], month: date
) -> None:
    """Operating agreements, a month of lease costs and the issued JIB."""
    for lease in ("A", "B", "G"):
        await api.call(
            f"file the operating agreement of lease {lease}",
            "POST",
            "/api/v1/jib/agreements",
            json={
                "id": _id("agreement", lease),
                "lease_id": ids["leases"][lease],
                "name": f"JOA {lease} (AAPL 610-1989)",
                "drilling_overhead_rate": "9500.00",
                "producing_overhead_rate": "950.00",
                "rates_set_on": history.first_day.isoformat(),
                "afe_overrun_percent": "10",
            },
        )
    for n, (lease, category, description, amount) in enumerate(LEASE_COSTS):
        await api.call(
            f"record the cost '{description}'",
            "POST",
            "/api/v1/jib/costs",
            json={
                "id": _id("cost", str(n)),
                "incurred_on": (month + timedelta(days=9 + n)).isoformat(),
                "lease_id": ids["leases"][lease],
                "vendor_id": pid["vendor"],
                "invoice_number": f"BSWS-{4410 + n}",
                "category": category,
                "description": description,
                "amount": amount,
            },
        )
    jib = await api.json("run the JIB", "POST", "/api/v1/jib/runs", json={"month": month.isoformat()})
    await api.call("issue the JIB", "POST", f"/api/v1/jib/runs/{jib['id']}/issue")


async def _revenue_run(
    api: Api, history: dh.History, ids: dict[str, Any], nets: dict[str, dict[date, Decimal]], month: date
) -> dict[str, Any]:
    """Run the month once accounting has every lease's volumes and compliance's tax (they arrive by event),
    then finalize it."""
    wanted: dict[tuple[str, str], Decimal] = {}
    for lease, net in nets.items():
        if net.get(month):
            wanted[(ids["leases"][lease], "oil")] = net[month]
    for entry in battery.gas_dispositions(history):
        if entry["month"] == month and entry["code"] in ("02", "03"):  # sold: transmission line or gas plant
            key = (ids["leases"][entry["lease"]], "gas")
            wanted[key] = wanted.get(key, Decimal(0)) + entry["mcf"]

    def complete(response: httpx.Response) -> bool:
        """Every lease's volumes as production has them (a run before they all arrive would be corrected later)."""
        sold = {(s["lease_id"], s["product"]): Decimal(str(s["volume"])) for s in response.json().get("sales", [])}
        taxed = all(s["tax_source"] == "compliance" for s in response.json().get("sales", []))
        return taxed and all(sold.get(key) == volume for key, volume in wanted.items())

    response = await api.until(
        f"run revenue for {month:%Y-%m}",
        lambda: api.call(
            f"run revenue for {month:%Y-%m}", "POST", "/api/v1/revenue/runs", json={"month": month.isoformat()}
        ),
        complete,
    )
    run = response.json()
    return await api.json(f"finalize revenue {month:%Y-%m}", "POST", f"/api/v1/revenue/runs/{run['id']}/finalize")


async def _draft_afe(api: Api, well: dh.WellPlan, ids: dict[str, Any]) -> dict[str, Any]:
    """A recompletion of ``well`` on lease A."""
    return await api.json(
        "draft the AFE",
        "POST",
        "/api/v1/afes",
        json={
            "id": _id("afe", "1"),
            "afe_number": "AFE-CE-0107",
            "title": f"Recomplete {well.name} in the Dean",
            "lease_id": ids["leases"]["A"],
            "well_id": ids["wells"][well.api_number],
            "description": "Plug back, perforate and frac the Dean; return to production.",
            "lines": [
                {
                    "kind": "intangible",
                    "category": "completion",
                    "description": "Frac and perforating",
                    "amount": "186500.00",
                },
                {
                    "kind": "intangible",
                    "category": "intangible_drilling",
                    "description": "Pulling unit, 9 days",
                    "amount": "31200.00",
                },
                {"kind": "tangible", "category": "tangible", "description": "Tubing and rods", "amount": "42750.00"},
            ],
        },
    )


async def _afe(api: Api, history: dh.History, ids: dict[str, Any], pid: dict[str, str]) -> str:
    """The AFE drafted, consented to, approved and in progress, with a first cost charged to it."""
    well = next(w for w in history.wells if w.lease == "A" and w.shut_in_on is None)
    afe = await _draft_afe(api, well, ids)
    path = f"/api/v1/afes/{afe['id']}"
    await api.call(
        "send the AFE for approval",
        "POST",
        f"{path}/transitions",
        json={"status": "pending_approval", "note": "sent to partners"},
    )
    decided = history.last_day - timedelta(days=3)
    await api.call(
        "record Llano's consent",
        "PUT",
        f"{path}/elections",
        json={"partner_id": pid["llano"], "election": "consent", "decided_on": decided.isoformat()},
    )
    await api.call(
        "record the operator's consent",
        "PUT",
        f"{path}/elections",
        json={"partner_id": pid["operator"], "election": "consent", "decided_on": decided.isoformat()},
    )
    await api.call("approve the AFE", "POST", f"{path}/transitions", json={"status": "approved"})
    final = await api.json(
        "start the AFE's work",
        "POST",
        f"{path}/transitions",
        json={"status": "in_progress", "note": "pulling unit on location"},
    )
    await api.call(
        "charge the rig move to the AFE",
        "POST",
        "/api/v1/jib/costs",
        json={
            "id": _id("cost", "afe"),
            "incurred_on": history.last_day.isoformat(),
            "lease_id": ids["leases"]["A"],
            "well_id": ids["wells"][well.api_number],
            "vendor_name": "Big Spring Well Service",
            "category": "intangible_drilling",
            "description": "Pulling unit move-in",
            "amount": "6400.00",
            "afe_number": "AFE-CE-0107",
        },
    )
    return f"{final['afe_number']} {final['status']}"
