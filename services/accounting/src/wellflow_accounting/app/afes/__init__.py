"""AFEs, one module per command: ``create`` with estimate lines, ``estimate`` (revise a draft's lines),
``transition`` along the lifecycle (who and when for each step), ``elections`` of the working-interest
partners, ``overruns`` (actuals from costs carrying the AFE number; an alert and ``afe_overrun_detected`` when
they pass the approved estimate by the agreement's percentage), ``alerts`` and ``queries``."""

from .alerts import acknowledge_alert, list_alerts
from .create import create_afe
from .elections import elect
from .estimate import update_estimate
from .queries import estimate_vs_actual, get_afe, list_afes
from .transition import transition

__all__ = [
    "acknowledge_alert",
    "create_afe",
    "elect",
    "estimate_vs_actual",
    "get_afe",
    "list_afes",
    "list_alerts",
    "transition",
    "update_estimate",
]
