"""Bugs the security fuzzing found (November 2026), each pinned with the exact input that answered 500, so
they stay fixed: odd but well-formed input is refused with a 4xx, never a server error."""

from __future__ import annotations

import pytest
from security_checks import bearer, merged_document

# wells and accounting: a bare carriage return inside a CSV field escaped as csv.Error (io.StringIO kept the \r);
# production: a check day in year 1 underflowed the trailing-window date arithmetic.

CASES = [
    pytest.param(
        "/api/v1/wells/import",
        {"content": "name,api_number\rRanch A 1H,42-329-12345\n", "headers": {"content-type": "text/csv"}},
        id="wells-import-bare-cr",
    ),
    pytest.param(
        "/api/v1/jib/costs/import",
        {"content": "lease_id,amount\rx,1\n", "headers": {"content-type": "text/csv"}},
        id="accounting-cost-import-bare-cr",
    ),
    pytest.param(
        "/api/v1/production-alerts/checks",
        {"json": {"day": "0001-01-03"}},
        id="production-alert-check-year-one",
    ),
]


@pytest.mark.parametrize(("path", "request_kwargs"), CASES)
async def test_odd_but_well_formed_input_is_refused_not_a_server_error(gateway, sign_up, path, request_kwargs):
    document = await merged_document(gateway)
    if path not in document["paths"]:
        pytest.skip(f"{path} is not served by this system")
    owner = await sign_up("Alpha Oil")
    headers = {**bearer(owner["access_token"]), **request_kwargs.get("headers", {})}
    kwargs = {k: v for k, v in request_kwargs.items() if k != "headers"}
    response = await gateway.post(path, headers=headers, **kwargs)
    assert response.status_code < 500, f"{response.status_code}: {response.text}"
