"""What one payee is paid: revenue and releases, 91.403 interest on late lines, JIB credits refunded, JIB
balances netted where the JOA allows, small balances held under 91.402(f). Figures worked by hand."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from wellflow_accounting.domain import ledger
from wellflow_accounting.domain.payments import PayeeFacts, RevenueLine, plan_payment
from wellflow_texas.payment_law import RatePeriod

D = Decimal
OWNER = UUID("01938a10-0000-7000-8000-000000000001")
LEASE = UUID("01938a10-0000-7000-8000-0000000000aa")
LINE = UUID("01938a10-0000-7000-8000-0000000000bb")
MARCH = date(2026, 3, 1)
RATES = [RatePeriod(date(2026, 1, 1), D("0.045"))]
FIRST_SALE = {LEASE: date(2025, 1, 1)}  # March is a later sale: oil due 60 days after March 31, May 30


def line(net: str, product: str = "oil") -> RevenueLine:
    return RevenueLine(LINE, LEASE, MARCH, product, D("0.0125"), D("12.5"), D(net), D(0), D(0), D(net))


def plan(facts: PayeeFacts, pay_date: date = date(2026, 5, 20), credits: bool = True):
    return plan_payment(facts, pay_date=pay_date, first_sale=FIRST_SALE, rates=RATES, include_jib_credit=credits)


def test_a_payment_on_time_earns_no_interest():
    result = plan(PayeeFacts(OWNER, D("834.75"), "paid", [line("834.75")]))
    assert (result.status, result.net, result.interest) == ("pending", D("834.75"), D("0.00"))
    assert [x.kind for x in result.lines] == ["revenue"]
    assert result.lines[0].due_on == date(2026, 5, 30)


def test_late_oil_earns_interest_on_a_line_of_its_own():
    # due May 30; paid June 29: 30 days at 4.5% + 2 points = 1000 x 0.065 x 30 / 365 = 5.342... -> 5.34
    result = plan(PayeeFacts(OWNER, D("1000.00"), "paid", [line("1000.00")]), pay_date=date(2026, 6, 29))
    interest = [x for x in result.lines if x.kind == "interest"]
    assert [(x.net, x.days_late, x.due_on) for x in interest] == [(D("5.34"), 30, date(2026, 5, 30))]
    assert result.net == D("1005.34") and result.interest == D("5.34")


def test_interest_is_one_line_per_due_date_rounded_once():
    # two leases' March oil, both due May 30, paid June 29 (30 days): 0.50 + 0.50 = 1.00 late;
    # per lease 0.50 x 0.065 x 30 / 365 = 0.00267 -> 0.00 each, together 1.00 x ... = 0.00534 -> 0.01
    other = RevenueLine(LINE, UUID(int=7), MARCH, "oil", D("0.0125"), D("1"), D("0.50"), D(0), D(0), D("0.50"))
    first_sale = FIRST_SALE | {UUID(int=7): date(2025, 1, 1)}
    facts = PayeeFacts(OWNER, D("1.00"), "paid", [line("0.50"), other])
    result = plan_payment(
        facts, pay_date=date(2026, 6, 29), first_sale=first_sale, rates=RATES, include_jib_credit=True
    )
    interest = [x for x in result.lines if x.kind == "interest"]
    assert [(x.net, x.sale_month, x.product, x.days_late) for x in interest] == [(D("0.01"), MARCH, "oil", 30)]


def test_gas_is_due_ninety_days_after_the_month():
    # March gas: due June 29; paid June 29 is on time
    result = plan(PayeeFacts(OWNER, D("500.00"), "paid", [line("500.00", "gas")]), pay_date=date(2026, 6, 29))
    assert result.interest == 0 and result.lines[0].due_on == date(2026, 6, 29)


def test_a_jib_balance_is_netted_only_where_the_agreement_allows():
    facts = PayeeFacts(OWNER, D("834.75"), "paid", [line("834.75")], jib_balance=D("300.00"), netting_allowed=True)
    result = plan(facts)
    assert (result.netted, result.net, result.jib_payment) == (D("300.00"), D("534.75"), D("300.00"))
    refused = plan(PayeeFacts(OWNER, D("834.75"), "paid", [line("834.75")], jib_balance=D("300.00")))
    assert (refused.netted, refused.net) == (D("0.00"), D("834.75"))


def test_netting_never_goes_below_zero_and_a_small_rest_is_held():
    owes_more = PayeeFacts(OWNER, D("834.75"), "paid", [line("834.75")], jib_balance=D("5000"), netting_allowed=True)
    result = plan(owes_more)
    assert (result.netted, result.net) == (D("834.75"), D("0.00"))
    small_rest = PayeeFacts(OWNER, D("834.75"), "paid", [line("834.75")], jib_balance=D("800"), netting_allowed=True)
    held = plan(small_rest)  # $34.75 left: under $100, held (91.402(f))
    assert (held.status, held.net, held.minimum_suspense_change) == ("held", D("34.75"), D("34.75"))
    assert held.jib_payment == D("800")


def test_a_jib_credit_is_refunded():
    result = plan(PayeeFacts(OWNER, D(0), None, jib_balance=D("-250.40")))
    assert [(x.kind, x.net) for x in result.lines] == [("jib_credit", D("250.40"))]
    assert (result.net, result.jib_payment) == (D("250.40"), D("-250.40"))
    assert plan(PayeeFacts(OWNER, D(0), None, jib_balance=D("-250.40")), credits=False).lines == ()


def test_a_small_balance_waits_until_a_year_then_is_paid():
    waiting = PayeeFacts(OWNER, D(0), "held: below the minimum payment", minimum_balance=D("66.78"))
    held = plan(waiting)
    assert held.status == "held" and "66.78" in held.hold_reason and held.net == 0
    a_year = PayeeFacts(OWNER, D(0), "held", minimum_balance=D("66.78"), months_since_last_payment=12)
    paid = plan(a_year)
    assert (paid.status, paid.net, paid.minimum_suspense_change) == ("pending", D("66.78"), D("-66.78"))


def test_the_cash_entry_balances():
    payments = [
        ledger.CashPayment("Ada", D("834.75"), D("1.78"), D(0), D(0), D("836.53")),
        ledger.CashPayment("WI", D("1000.00"), D(0), D(0), D("800.00"), D("200.00")),
        ledger.CashPayment("Partner", D(0), D(0), D("250.40"), D(0), D("250.40")),
        ledger.CashPayment("Small", D("100.00"), D(0), D(0), D("70.00"), D("30.00"), held=True),
    ]
    lines = ledger.payment_entry("PAY-1", date(2026, 8, 10), payments)
    assert ledger.balanced(lines)
    assert sum(x.credit for x in lines if x.account == ledger.CASH) == D("1286.93")
    assert sum(x.credit for x in lines if x.account == ledger.SUSPENSE_PAYABLE) == D("30.00")
