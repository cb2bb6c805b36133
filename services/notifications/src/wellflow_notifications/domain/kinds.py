"""What WellFlow tells people about, and whom: each kind of notification, the roles it goes to, and the
channels each role gets by default (a member changes theirs in their preferences).

Who needs what, from the roles' work (docs/permissions.md): a pumper is in the field and fixes a well that
stopped, so production alerts reach them by SMS too; a manager watches production; the office (owner,
accountant) files the Form PR, pays owners (and sends a payment run once approved), reconciles purchasers'
statements and tracks AFEs. An owner hears about everything.
"""

from __future__ import annotations

from dataclasses import dataclass

EMAIL, SMS, IN_APP = "email", "sms", "in_app"
CHANNELS = (EMAIL, SMS, IN_APP)
ROLES = ("owner", "manager", "pumper", "accountant", "auditor")


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    roles: frozenset[str]
    severity: str = "warning"  # info, warning, critical


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("production_alert", "Production alerts", frozenset({"owner", "manager", "pumper"})),
        Kind("filing_deadline", "Filing deadlines approaching", frozenset({"owner", "accountant"})),
        Kind("filing_missed", "Filing deadlines missed", frozenset({"owner", "accountant", "manager"}), "critical"),
        Kind("filing_rejected", "Form PR rejected by the RRC", frozenset({"owner", "accountant"}), "critical"),
        Kind("afe_overrun", "AFE overruns", frozenset({"owner", "accountant", "manager"})),
        Kind("document_expiring", "Documents expiring", frozenset({"owner", "manager", "accountant"})),
        Kind("owner_payment_late", "Owner payments late", frozenset({"owner", "accountant"}), "critical"),
        Kind("payment_run_approved", "Payment runs approved", frozenset({"owner", "accountant"}), "info"),
        Kind("reconciliation_item", "Reconciliation differences", frozenset({"owner", "accountant"})),
    )
}

# The channels a role gets for a kind until the member says otherwise. In the console always; by email for
# everything the role receives; by SMS only for what a pumper must act on in the field (and only once the
# member has given a mobile number).
_SMS_BY_DEFAULT = {("pumper", "production_alert")}


def default_channels(role: str, kind: str) -> tuple[str, ...]:
    if role not in KINDS[kind].roles:
        return ()
    if (role, kind) in _SMS_BY_DEFAULT:
        return (EMAIL, SMS, IN_APP)
    return (EMAIL, IN_APP)


def recipients_roles(kind: str) -> frozenset[str]:
    return KINDS[kind].roles
