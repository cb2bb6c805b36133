"""Payment runs (money out): build, approve, write the ACH file and checks, send; checks' voids and reissues."""

from .approve import approve_run, cancel_run
from .build import create_run
from .queries import get_payment, get_run, list_payments, list_runs
from .send import ach_file, generate_files, mark_sent, send_run
from .settings import get_settings, put_settings

__all__ = [
    "ach_file",
    "approve_run",
    "cancel_run",
    "create_run",
    "generate_files",
    "get_payment",
    "get_run",
    "get_settings",
    "list_payments",
    "list_runs",
    "mark_sent",
    "put_settings",
    "send_run",
]
