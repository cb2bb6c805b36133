"""`POST /console/session`: the web console's sign-in, with the pumper's route in the same answer.

On a field connection every round trip costs seconds (Chromium's Slow 3G adds 2 s to each), and a pumper who
signs in wants the route: sign-in, then the route, is two round trips the phone waits for. This endpoint makes
them one. It takes the same body as `POST /api/v1/auth/signin` and the day of the route the phone wants
(`?route=YYYY-MM-DD`, the phone's local date), forwards the sign-in to identity exactly as the proxy would (the
same per-address limit of the public paths, the same forwarded headers, so identity's sign-in limits see the
client's address), and when identity answers 200 for a member whose role records production on a route
(`pumper`), asks production for that day's route with the new access token, inside the cluster, and answers
`{"session": <identity's answer>, "route": <production's answer or null>}`.

Identity's refusal (401, 422, 429, ...) is relayed as it came. The route is a convenience: when production does
not answer 200 the session is still answered, with `route: null`, and the console fetches the route itself.
It is the console's endpoint (not in the public OpenAPI document): API clients sign in at `/api/v1/auth/signin`.
"""

from __future__ import annotations

import gzip
import json
import logging
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from yarl import URL

from wellflow_gateway.headers import child_traceparent, client_ip
from wellflow_gateway.incoming import Incoming, upstream_headers
from wellflow_gateway.proxy import Proxy
from wellflow_gateway.upstream import Hop
from wellflow_servicekit.problems import Problem

PATH = "/console/session"
SIGNIN_PATH = "/api/v1/auth/signin"
ROUTE_PATH = "/api/v1/production/route"
ROUTE_ROLES = frozenset({"pumper"})
ROUTE_MAX_BYTES = 2 * 1024 * 1024
GZIP_ABOVE = 1024

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)


@router.post(PATH)
async def console_session(
    request: Request, route: date | None = Query(default=None, description="the day of the route to include")
) -> Response:
    proxy: Proxy = request.app.state.proxy
    scope = request.scope
    incoming = Incoming.read(scope)
    ip = client_ip(incoming.peer_ip, incoming.xff, proxy.limits.trusted_proxy_hops)
    await proxy.guard.admit(True, None, ip, SIGNIN_PATH)
    body = await request.body()
    if len(body) > proxy.limits.max_body_bytes:
        raise Problem("The sign-in body is too large.", status=413)
    headers = _headers_to_read(scope, incoming, None)
    cell, base = proxy.upstream_for(None, "identity")
    hop = Hop("identity", cell, "POST", URL(base + SIGNIN_PATH), headers, body)
    status, content_type, answer = await proxy.upstream.fetch(hop)
    if status != 200:
        return Response(answer, status_code=status, media_type=content_type, headers={"Cache-Control": "no-store"})
    session = json.loads(answer)
    included = await _route(proxy, scope, incoming, session, route) if route is not None else None
    body = json.dumps({"session": session, "route": included}, separators=(",", ":")).encode()
    headers = {"Cache-Control": "no-store", "Vary": "Accept-Encoding"}
    if len(body) > GZIP_ABOVE and "gzip" in request.headers.get("accept-encoding", ""):
        # a route is 10 to 20 KB of JSON: a fifth of a second on a field connection, a tenth of that compressed
        body = gzip.compress(body, compresslevel=6)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="application/json", headers=headers)


async def _route(proxy: Proxy, scope: Any, incoming: Incoming, session: dict, day: date) -> Any:
    """Production's route for ``day`` with the new session's token, or None (not a route role, or no 200)."""
    token, organization = session.get("access_token"), session.get("organization_id")
    if session.get("role") not in ROUTE_ROLES or not token or not organization:
        return None
    try:
        cell, base = proxy.upstream_for(UUID(organization), "production")
        headers = [
            (name, value)
            for name, value in _headers_to_read(scope, incoming, f"Bearer {token}".encode("latin-1"))
            if name != "content-type"  # a GET: the sign-in's body type does not apply
        ]
        url = URL(base + ROUTE_PATH).with_query(date=day.isoformat())
        hop = Hop("production", cell, "GET", url, headers, None)
        status, _, body = await proxy.upstream.fetch(hop, ROUTE_MAX_BYTES)
    except (Problem, ValueError) as exc:
        logger.warning("the route was not included in a console session: %s", exc)
        return None
    if status != 200:
        logger.warning("the route was not included in a console session: production answered %s", status)
        return None
    return json.loads(body)


def _headers_to_read(scope: Any, incoming: Incoming, authorization: bytes | None) -> list[tuple[str, str]]:
    """The proxy's upstream headers for an answer the gateway reads itself: no Accept-Encoding (the upstream
    client passes bodies through undecoded, and this one is parsed), and a child of the caller's trace."""
    headers = [(n, v) for n, v in upstream_headers(scope, incoming, authorization) if n != "accept-encoding"]
    headers.append(("traceparent", child_traceparent(incoming.trace[0])))
    return headers
