"""The filing calendar: what an operator owes for a production month, when, and which reminder is due today.

Reminders go out 30, 7 and 1 days before a due date. Each reminder is sent at most once; when WellFlow was
not running on the day a reminder became due, it is still sent later as long as the next, closer reminder
is not yet due (a 30-day reminder is never sent 3 days before the deadline, the 7-day one is). The day
after the due date an unfinished obligation is reported missed, once.

Scope: an organization that comes to WellFlow with history has obligations that fell due before it used
WellFlow. Those due before the first day of its go-live month are out of scope: never overdue, never reminded,
shown as "before WellFlow". Any obligation can also be marked filed outside WellFlow (``OUTSIDE_STATE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from wellflow_texas.calendar import HolidaySet, form_pr_due, gas_tax_due, oil_tax_due

Obligation = Literal["form_pr", "oil_tax", "gas_tax"]
OBLIGATIONS: tuple[Obligation, ...] = ("form_pr", "oil_tax", "gas_tax")
REMINDER_DAYS: tuple[int, ...] = (30, 7, 1)
OUTSIDE_STATE = "filed_outside"  # filed outside WellFlow: closed like a confirmed filing, labelled as such
DONE_STATES = frozenset({"accepted", "paid", "not_required", OUTSIDE_STATE})

LABELS = {
    "form_pr": "Form PR (RRC monthly production report)",
    "oil_tax": "Crude oil and condensate production tax (Comptroller)",
    "gas_tax": "Natural gas production tax (Comptroller)",
}


@dataclass(frozen=True, slots=True)
class CalendarRules:
    form_pr_rule: str = "last_working_day"
    holiday_set: HolidaySet = "closed"


def due_date(obligation: Obligation, period: date, rules: CalendarRules) -> date:
    if obligation == "form_pr":
        return form_pr_due(period, rule=rules.form_pr_rule, holiday_set=rules.holiday_set)
    if obligation == "oil_tax":
        return oil_tax_due(period, rules.holiday_set)
    return gas_tax_due(period, rules.holiday_set)


def reminder_due(due: date, today: date, sent: set[int]) -> int | None:
    """The reminder (30, 7 or 1 days before) to send today, or None. ``sent`` holds those already sent."""
    days_left = (due - today).days
    if days_left <= 0:
        return None
    applicable = [d for d in REMINDER_DAYS if days_left <= d]
    if not applicable:
        return None
    closest = min(applicable)
    return None if closest in sent else closest


def in_scope(due: date, go_live: date | None) -> bool:
    """An obligation counts when it fell due on or after the first day of the organization's go-live month
    (``None``: every obligation counts). What fell due before was the operator's business before WellFlow."""
    return go_live is None or due >= go_live


def go_live_default(first_data_at: date | None) -> date | None:
    """Without a go-live month set by a person: the month the organization's first data arrived."""
    return None if first_data_at is None else first_data_at.replace(day=1)


def is_missed(due: date, today: date, state: str, go_live: date | None = None) -> bool:
    return in_scope(due, go_live) and today > due and state not in DONE_STATES
