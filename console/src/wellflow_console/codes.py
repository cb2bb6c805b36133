"""The console's code tables, rendered as a JavaScript module from the Python that the services enforce.

Nothing is copied by hand: the Form PR disposition codes and flare authorities come from
``wellflow_texas.form_pr``, the filing obligations and AFE statuses from ``wellflow_contracts``, the roles from
``wellflow_servicekit.permissions``. The gateway serves the result as ``/assets/lib/codes.js``.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from wellflow_contracts.events.accounting import AfeStatus
from wellflow_contracts.events.compliance import FilingObligation
from wellflow_servicekit.permissions import Role
from wellflow_texas import form_pr

HEADER = """\
// The console's code tables, rendered by the gateway from Python (wellflow_console/codes.py): the Form PR
// codes from wellflow_texas.form_pr, AFE statuses and filing obligations from wellflow_contracts, roles from
// wellflow_servicekit.permissions. There is no file to edit: change the Python and the console follows.
"""


def tables() -> dict[str, Any]:
    """Each exported constant's value: [code, description] pairs in the order the Python declares them."""
    return {
        "LIQUID_DISPOSITION_CODES": list(form_pr.LIQUID_DISPOSITION_CODES.items()),
        "GAS_DISPOSITION_CODES": list(form_pr.GAS_DISPOSITION_CODES.items()),
        "FLARE_VENT_CODES": sorted(form_pr.FLARE_VENT_CODES),
        "FLARE_AUTHORITIES": list(form_pr.FLARE_AUTHORITIES.items()),
        "H8_THRESHOLD_BBL": form_pr.H8_THRESHOLD_BBL,
        "FILING_OBLIGATIONS": list(get_args(FilingObligation)),
        "AFE_STATUSES": list(get_args(AfeStatus)),
        "ROLES": [role.value for role in Role],
    }


def codes_module() -> str:
    lines = [HEADER]
    for name, value in tables().items():
        lines.append(f"export const {name} = {json.dumps(value, ensure_ascii=False)};\n")
    return "".join(lines)
