"""A cost-free royalty bears none of the lease's deductions; the other owners bear them by their decimals
(figures worked by hand in the comments)."""

from decimal import Decimal
from uuid import UUID

from wellflow_accounting.domain.decks import DeckLine, InterestType
from wellflow_accounting.domain.distribution import Product, Sale, distribute

D = Decimal
LEASE = UUID("01938a10-0000-7000-8000-0000000000aa")
A, B, C = (UUID(int=n) for n in (1, 2, 3))
R, W, ORRI = InterestType.ROYALTY, InterestType.WORKING_INTEREST, InterestType.ORRI


def sale(deductions: str) -> Sale:
    return Sale(LEASE, Product.OIL, D("100"), D("100"), D("10000.00"), D("460.00"), D(deductions), "compliance", "x")


def test_cost_free_royalty_keeps_its_whole_share_and_the_working_interest_bears_the_deductions():
    # Royalty 1/8 cost-free: gross 10,000 x 0.125 = 1,250.00, tax 460 x 0.125 = 57.50, deductions 0: net 1,192.50.
    # Working interest 0.875: gross 8,750.00, tax 402.50, all 1,000.00 of deductions: net 7,347.50.
    shares = {
        s.partner_id: s
        for s in distribute(sale("1000.00"), [DeckLine(A, R, D("0.125"), True), DeckLine(B, W, D("0.875"))])
    }
    assert (shares[A].gross, shares[A].tax, shares[A].deductions, shares[A].net) == (
        D("1250.00"),
        D("57.50"),
        D("0.00"),
        D("1192.50"),
    )
    assert (shares[B].deductions, shares[B].net) == (D("1000.00"), D("7347.50"))


def test_the_same_royalty_not_cost_free_bears_its_eighth():
    shares = {
        s.partner_id: s for s in distribute(sale("1000.00"), [DeckLine(A, R, D("0.125")), DeckLine(B, W, D("0.875"))])
    }
    assert (shares[A].deductions, shares[B].deductions) == (D("125.00"), D("875.00"))


def test_deductions_split_among_the_bearing_owners_to_the_cent():
    # Bearing: ORRI 0.05 and WI 0.825 (total 0.875). 100.01 x 0.05 / 0.875 = 5.7148... -> 5.71 (remainder .48);
    # 100.01 x 0.825 / 0.875 = 94.2951... -> 94.29 (remainder .51); the cent left goes to the larger remainder.
    deck = [DeckLine(A, R, D("0.125"), True), DeckLine(C, ORRI, D("0.05")), DeckLine(B, W, D("0.825"))]
    shares = {s.partner_id: s for s in distribute(sale("100.01"), deck)}
    assert (shares[A].deductions, shares[C].deductions, shares[B].deductions) == (D("0.00"), D("5.71"), D("94.30"))
    assert sum(s.net for s in shares.values()) == D("10000.00") - D("460.00") - D("100.01")
