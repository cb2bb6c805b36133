"""The late-payment clock's computation (accounting ``domain/late_payments.py``): seconds to fold a year's owner
lines into items and put each on the clock (due date, payments, days late, 91.403 interest over the Fed's rate
history), beside the fold alone as the baseline.

    python bench/late_payment_clock.py [--leases 50] [--owners 20] [--months 24] [--repeat 3]

Every lease has ``--owners`` owners, oil and gas sold every month; a third of the items are paid (half of them
late), the rest unpaid on the day asked about, so most items compute interest across several rate changes. This
is what ``GET /api/v1/late-payments`` does in memory after its three queries. Target: <= 2 s for 48,000 items
(50 leases x 20 owners x 24 months x 2 products).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from wellflow_accounting.domain.late_payments import ItemKey, Payment, clock_line, fold
from wellflow_texas.payment_law import RatePeriod, payment_due, published_fed_rates


def months(start: date, count: int) -> list[date]:
    out, day = [], start
    for _ in range(count):
        out.append(day)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def data(leases: int, owners: int, count: int) -> tuple[list, list, date]:
    sale_months = months(date(2024, 1, 1), count)
    lines, payments = [], []
    for _ in range(leases):
        lease = uuid4()
        for o in range(owners):
            partner = uuid4()
            for i, month in enumerate(sale_months):
                for product in ("oil", "gas"):
                    net = Decimal(100 + (o * 37 + i * 11) % 900) + Decimal("0.25")
                    lines.append((partner, lease, month, product, "payable", net))
                    if (o + i) % 3 == 0:
                        due = payment_due(month, product, sale_months[0])
                        paid_on = due + timedelta(days=(45 if (o + i) % 2 else -5))
                        payments.append((ItemKey(partner, lease, month, product), Payment(net, paid_on)))
    return lines, payments, sale_months[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leases", type=int, default=50)
    parser.add_argument("--owners", type=int, default=20)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines, payments, first = data(args.leases, args.owners, args.months)
    rates = [RatePeriod(r.effective, r.annual_rate) for r in published_fed_rates()]
    as_of = date(2026, 6, 30)
    folds, clocks = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        items = fold(lines, payments)
        folded = time.perf_counter()
        result = [clock_line(item, first, as_of, rates) for item in items.values()]
        done = time.perf_counter()
        folds.append(folded - started)
        clocks.append(done - started)
    late = sum(1 for line in result if line.is_late)
    print(f"items: {len(items):,} ({late:,} late), payments: {len(payments):,}, rate periods: {len(rates)}")
    print(f"fold only (baseline): best {min(folds):.2f} s, median {statistics.median(folds):.2f} s")
    best, median = min(clocks), statistics.median(clocks)
    print(f"fold + clock + interest: best {best:.2f} s, median {median:.2f} s (target <= 2 s)")


if __name__ == "__main__":
    main()
