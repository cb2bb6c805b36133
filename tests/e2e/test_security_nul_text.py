"""Text with a NUL character (U+0000), which PostgreSQL text cannot store, must be refused as bad input (4xx)
and never reach the database as a 500. Every write the seeds make is repeated with a NUL in one text value,
so a new service's writes are covered as soon as its seed exists."""

from __future__ import annotations

import copy
from typing import Any

from security_checks import UUID_TEXT, TenantData, merged_document, template_matches
from security_seeds import seed_tenant

# Found by this test (November 2026): nearly every write passed the text to PostgreSQL, which refuses NUL, and
# answered 500. Fixed in one place: servicekit answers 422 when PostgreSQL refuses text as unstorable.


def _with_nul(body: Any) -> tuple[Any, str] | None:
    """A copy of ``body`` with a NUL inside its first free-text value (not an id, date, number or code)."""
    body = copy.deepcopy(body)
    stack: list[Any] = [body]
    while stack:
        node = stack.pop(0)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(value, str) and " " in value and not UUID_TEXT.match(value):
                node[key] = value[:3] + "\x00" + value[3:]
                return body, str(key)
            if isinstance(value, dict | list):
                stack.append(value)
    return None


def _template(path: str, routes: set[tuple[str, str]], method: str) -> str:
    return next((t for m, t in routes if m == method and template_matches(t, path)), path)


async def test_text_with_a_nul_character_is_refused_not_a_server_error(gateway, sign_up):
    document = await merged_document(gateway)
    signed_up = await sign_up("Alpha Oil")
    a = TenantData(gateway, signed_up["access_token"])
    a.harvest(signed_up, "signup")
    a.routes = {(method, path) for path, item in document["paths"].items() for method in item}
    await seed_tenant(a, document["x-wellflow-merge"]["services"])
    signup = {
        "organization": {"name": "Bravo Gas", "rrc_operator_number": "123456"},
        "user": {
            "email": "owner@bravo-nul.example.com",
            "password": "correct horse battery staple",
            "full_name": "Dana Ruiz",
        },
    }
    writes = [("post", "/api/v1/auth/signup", signup), *((e.method, e.path, e.body) for e in a.exchanges)]

    answers: dict[str, tuple[int, str]] = {}
    for method, path, original in writes:
        changed = _with_nul(original) if original is not None else None
        if changed is None:
            continue
        body, field = changed
        operation = f"{method.upper()} {_template(path, a.routes, method)}"
        anonymous = path.endswith(("/invitations/accept", "/auth/signup"))
        response = await gateway.request(method, path, json=body, headers={} if anonymous else a.headers)
        answers.setdefault(operation, (response.status_code, field))
    print("\nNUL probes:", {op: status for op, (status, _) in sorted(answers.items())})
    assert len(answers) >= 10, answers  # the seeds' writes were all found
    server_errors = {op: answer for op, answer in answers.items() if not 400 <= answer[0] < 500}
    assert not server_errors, server_errors
