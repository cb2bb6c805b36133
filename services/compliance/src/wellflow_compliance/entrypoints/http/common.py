"""What every compliance route shares: the handles, the acting member, pages and period parameters."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from wellflow_servicekit.actors import permitted
from wellflow_servicekit.kernel import Actor, invalid
from wellflow_texas.form_pr import normalize_district

from ...app.common import MAX_PAGE, Compliance
from ...app.submissions.queries import Submissions
from ...domain.form_pr import parse_period

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


async def get_compliance(request: Request) -> Compliance:
    return request.app.state.compliance  # type: ignore[no-any-return]


async def get_submissions(request: Request) -> Submissions:
    return request.app.state.submissions  # type: ignore[no-any-return]


ComplianceDep = Annotated[Compliance, Depends(get_compliance)]
SubmissionsDep = Annotated[Submissions, Depends(get_submissions)]


Reader = Annotated[Actor, permitted("compliance", "read")]
Writer = Annotated[Actor, permitted("compliance", "write")]


def period_path(value: str) -> date:
    try:
        return parse_period(value)
    except ValueError as exc:
        raise invalid("path.period", str(exc)) from None


def month_query(value: str | None, name: str = "month") -> date | None:
    if value is None:
        return None
    try:
        return parse_period(value)
    except ValueError as exc:
        raise invalid(f"query.{name}", str(exc)) from None


def district_query(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize_district(value)
    except ValueError as exc:
        raise invalid("query.rrc_district", str(exc)) from None
