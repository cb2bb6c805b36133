"""Property: months with physically exact measurements never raise a balance error, and the reported ending
stock is the tanks' net stock to the barrel, month after month (24 consecutive months).

The data is generated as a tank battery would produce it: each month some oil (any fraction) flows into the
tanks, run tickets take oil out at 30-110 F with 0-2 % BS&W and gravities of 20-50 API, and every tank is
gauged exactly at month end. Net barrels are gross x CTL x (1 - BS&W/100) (the 1980 Table 6A equation, close
enough for generating data; compliance sees only the nets), each rounded to 0.01 bbl as production rounds
them; a ticket's net is the difference of its two gauges' nets, as production computes it."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from wellflow_compliance.domain.form_pr import LeaseFacts, LeaseMonth, WellFacts, whole
from wellflow_compliance.domain.form_pr_line import build_line

LEASE = UUID("01938a10-0000-7000-8000-0000000000aa")
FACTS = LeaseFacts(
    LEASE, "Ranch P", "08", "54321", "oil", wells=(WellFacts(UUID(int=7), "42501201300000", "producing"),)
)
CENT = Decimal("0.01")


def ctl(api: float, temperature_f: float) -> Decimal:
    rho = 141.5 * 999.016 / (api + 131.5)
    alpha = 341.0957 / rho**2
    dt = temperature_f - 60
    return Decimal(repr(math.exp(-alpha * dt * (1 + 0.8 * alpha * dt)))).quantize(Decimal("0.00001"))


def net(gross: Decimal, factor: Decimal, bsw: Decimal) -> Decimal:
    return (gross * factor * (1 - bsw / 100)).quantize(CENT, rounding=ROUND_HALF_UP)


barrels = st.decimals(min_value=Decimal("0"), max_value=Decimal("400"), places=2)
ticket = st.tuples(
    st.decimals(min_value=Decimal("0.1"), max_value=Decimal("1"), places=3),  # share of the tank taken
    st.integers(min_value=30, max_value=110),  # tank temperature at the opening gauge
    st.integers(min_value=-5, max_value=5),  # its change by the closing gauge (a haul takes an hour)
    st.sampled_from(["00", "01", "02"]),
)
month = st.tuples(
    st.lists(st.decimals(min_value=Decimal("0"), max_value=Decimal("150"), places=2), min_size=1, max_size=4),
    st.lists(ticket, max_size=3),
    st.integers(min_value=30, max_value=110),  # month-end gauge temperature
    st.decimals(min_value=Decimal("-3"), max_value=Decimal("3"), places=1),  # the pumpers' reading error, BBL
)


class Tank:
    """One oil tank holding ``standard`` barrels at 60 F (oil carrying ``bsw`` % sediment and water). A gauge
    reads the gross barrels at the tank's temperature (to 0.01 bbl, as a strapping table gives them) and
    production converts them back: the physics is exact, only the instruments' resolution rounds."""

    def __init__(self, standard: Decimal, api: float, bsw: Decimal) -> None:
        self.standard, self.api, self.bsw = standard, api, bsw

    def gross(self, temperature_f: int) -> Decimal:
        return (self.standard / ctl(self.api, temperature_f)).quantize(CENT, rounding=ROUND_HALF_UP)

    def gauge(self, temperature_f: int) -> Decimal:
        return net(self.gross(temperature_f), ctl(self.api, temperature_f), self.bsw)

    def run(self, share: Decimal, t_open: int, change: int) -> Decimal:
        """A run ticket's net, as production computes it: (open x CTL - close x CTL) x (1 - BS&W/100)."""
        t_close = min(110, max(30, t_open + change))
        opening = self.gross(t_open)
        self.standard -= (self.standard * share).quantize(CENT)
        closing = self.gross(t_close)
        standard = opening * ctl(self.api, t_open) - closing * ctl(self.api, t_close)
        return (standard * (1 - self.bsw / 100)).quantize(CENT, rounding=ROUND_HALF_UP)


@settings(max_examples=150, deadline=None)
@given(
    start=barrels,
    api=st.integers(min_value=200, max_value=500).map(lambda tenths: tenths / 10),
    bsw=st.decimals(min_value=Decimal("0"), max_value=Decimal("2"), places=2),
    start_temperature=st.integers(min_value=30, max_value=110),
    months=st.lists(month, min_size=24, max_size=24),
)
def test_physically_exact_months_balance_and_report_the_tanks_stock(start, api, bsw, start_temperature, months):
    tank = Tank(start, api, bsw)
    stock = tank.gauge(start_temperature)
    previous_ending = None
    for inflows, tickets, end_temperature, reading_error in months:
        beginning = stock
        dispositions: dict[str, Decimal] = {}
        for index, inflow in enumerate(inflows):
            tank.standard += inflow
            if index < len(tickets):
                share, t_open, t_close, code = tickets[index]
                dispositions[code] = dispositions.get(code, Decimal(0)) + tank.run(share, t_open, t_close)
        for share, t_open, t_close, code in tickets[len(inflows) :]:
            dispositions[code] = dispositions.get(code, Decimal(0)) + tank.run(share, t_open, t_close)
        stock = tank.gauge(end_temperature)
        lease_month = LeaseMonth(
            revision=1,
            lease_type="oil",
            liquid_bbl=max(Decimal(0), sum(inflows, Decimal(0)) + reading_error),
            gas_mcf=Decimal(0),
            beginning_stock_bbl=beginning,
            ending_stock_bbl=stock,
            liquid_dispositions=tuple(sorted(dispositions.items())),
            month_end_gauged=True,
        )
        line = build_line(FACTS, lease_month, previous_ending=previous_ending)
        errors = [i.message for i in line.issues if i.severity == "error"]
        assert errors == [], (errors, beginning, stock, dispositions, previous_ending)
        if "stock-rounded" in {i.code for i in line.issues}:
            # nothing produced and the stock crossed a half barrel downwards: carried, under a barrel off
            assert line.liquid_production == 0 and abs(line.ending_stock - stock) < 1
        else:
            assert line.ending_stock == whole(stock)
        assert line.beginning_stock + line.liquid_production - line.liquid_disposed == line.ending_stock
        assert line.liquid_production >= 0
        previous_ending = line.ending_stock
