"""Joint interest billing, one module per command: ``run`` (the monthly draft that allocates every unbilled
cost and the month's overhead by the cost deck's working interests), ``issue``, ``payments``, ``statements``
(a partner's statement) and ``queries``.

Like revenue runs, a JIB run is a draft until issued; re-running a draft replaces it; an issued month is
locked and the costs it billed are marked so no later run bills them again."""

from .issue import issue_jib
from .payments import list_payments, record_payment
from .queries import get_jib_run, jib_key, list_jib_runs
from .run import run_jib
from .statements import JIB_COLUMNS, partner_statement, partner_statement_document

__all__ = [
    "JIB_COLUMNS",
    "get_jib_run",
    "issue_jib",
    "jib_key",
    "list_jib_runs",
    "list_payments",
    "partner_statement",
    "partner_statement_document",
    "record_payment",
    "run_jib",
]
