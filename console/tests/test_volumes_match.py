"""The pumper's phone shows a gauge's and a run ticket's barrels before saving (pages/production/volumes.js), and
they must be the barrels the API then stores: production's own functions (domain/gauging.py: strapping, Tables
5A/6A, net at 60 F; domain/tank_balance.py: the expected balance and its tolerance) and the console's are run
on the same few hundred inputs here and must agree to the last digit."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from decimal import Decimal

import pytest

import wellflow_console
from wellflow_production.domain import tank_balance
from wellflow_production.domain.gauging import barrels_at, gauge_inches, run_ticket_volume

VOLUMES = wellflow_console.static_dir() / "assets/pages/production/volumes.js"
STRAPPINGS = [
    [("0", "0"), ("240", "400.80")],
    [("0", "0"), ("12.5", "20.333"), ("96", "160.1"), ("240", "1920")],
    [("0", "0"), ("0.25", "0.01"), ("120.75", "333.3333"), ("180", "333.3333"), ("300", "1000")],
]


def _console(cases: dict) -> dict:
    node = shutil.which("node")
    if node is None:  # test_node_units.py says the same (a machine with Python only)
        pytest.skip("node is not on PATH: the console's volumes were not computed")
    script = (
        f"const m = await import({json.dumps(VOLUMES.as_uri())});"
        "const cases = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify({"
        " barrels: cases.barrels.map(([s, g]) => m.barrelsAt(s, g)),"
        " tickets: cases.tickets.map((t) => m.ticketVolume(t)),"
        " balances: cases.balances.map(([last, b, rule, cap, g]) => {"
        "   const r = m.balanceRange(last, b, rule, cap); return [r, m.outsideBy(g, r)]; }),"
        "}));"
    )
    result = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _gauges(rng: random.Random, top: int, n: int) -> list[dict[str, int]]:
    out = []
    for _ in range(n):
        inches = rng.randint(0, top * 4) / 4
        feet, rest = divmod(inches, 12)
        out.append({"feet": int(feet), "inches": int(rest), "quarters": int((rest % 1) * 4)})
    return out


def test_the_phone_computes_the_barrels_the_api_stores():
    rng = random.Random(20261207)
    barrels, expected_barrels = [], []
    for strapping in STRAPPINGS:
        table = [(Decimal(a), Decimal(b)) for a, b in strapping]
        for g in _gauges(rng, int(table[-1][0]), 60):
            barrels.append([strapping, g])
            expected_barrels.append(str(barrels_at(table, gauge_inches(g["feet"], g["inches"], g["quarters"]))))
    tickets, expected_tickets = [], []
    for _ in range(200):
        closing = Decimal(rng.randint(0, 50000)) / 100
        opening = closing + Decimal(rng.randint(0, 100000)) / 100
        sample = (Decimal(rng.randint(150, 650)) / 10, Decimal(rng.randint(200, 1300)) / 10)
        temps = (Decimal(rng.randint(100, 1200)) / 10, Decimal(rng.randint(100, 1200)) / 10)
        bsw = Decimal(rng.randint(0, 5000)) / 1000
        glass = rng.random() < 0.7
        v = run_ticket_volume(opening, closing, sample, temps, bsw, glass_hydrometer=glass)
        tickets.append(
            {
                "openingBbl": str(opening),
                "closingBbl": str(closing),
                "gravity": str(sample[0]),
                "sampleF": str(sample[1]),
                "openingF": str(temps[0]),
                "closingF": str(temps[1]),
                "bsw": str(bsw),
                "glass": glass,
            }
        )
        expected_tickets.append(
            {
                "gross": str(v.gross_bbl.quantize(Decimal("0.01"))),
                "api60": str(v.api_gravity_60),
                "ctlOpening": str(v.ctl_opening),
                "ctlClosing": str(v.ctl_closing),
                "net": str(v.net_bbl),
            }
        )
    balances, expected_balances = [], []
    for _ in range(100):
        last, production, tickets_bbl = (Decimal(rng.randint(0, 200000)) / 100 for _ in range(3))
        capacity, shared = Decimal(rng.choice([210, 400, 500, 1000, 1920])), rng.random() < 0.5
        gauge = Decimal(rng.randint(0, 300000)) / 100
        b = tank_balance.expected_balance(last, production, tickets_bbl, capacity, shared=shared)
        served = {"production_bbl": str(production), "tickets_bbl": str(tickets_bbl), "shared": shared}
        balances.append([str(last), served, tank_balance.rule(), str(capacity), str(gauge)])
        expected_balances.append(
            [
                {"low": f"{b.low_bbl:.2f}", "high": f"{b.high_bbl:.2f}", "tolerance": f"{b.tolerance_bbl:.2f}"},
                f"{b.outside(gauge):.2f}",
            ]
        )

    got = _console({"barrels": barrels, "tickets": tickets, "balances": balances})

    assert got["barrels"] == expected_barrels
    assert got["tickets"] == expected_tickets
    assert got["balances"] == expected_balances
