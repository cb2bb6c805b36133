"""The routing table: which service owns which path prefix, and which paths need no token.

This module is the one place to edit when a service adds resources. A prefix matches a path on segment
boundaries (`/api/v1/wells` matches `/api/v1/wells` and `/api/v1/wells/42`, not `/api/v1/wellsx`); the
longest matching prefix wins. A path no prefix matches is a 404 problem from the gateway itself.

A prefix whose service is not in the cell (not deployed there, or down) answers 503 with a problem, so a
client can tell "not here now" from "no such path".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Route:
    prefix: str
    service: str


# prefix -> service. Keep each service's prefixes together; see README.md "Adding a service's prefixes".
ROUTES: tuple[Route, ...] = (
    # identity
    Route("/api/v1/auth", "identity"),
    Route("/api/v1/me", "identity"),
    Route("/api/v1/organizations", "identity"),
    Route("/api/v1/members", "identity"),
    Route("/api/v1/invitations", "identity"),
    Route("/api/v1/api-keys", "identity"),
    Route("/api/v1/audit-log", "identity"),
    Route("/.well-known/jwks.json", "identity"),
    # wells
    Route("/api/v1/fields", "wells"),
    Route("/api/v1/leases", "wells"),
    Route("/api/v1/wells", "wells"),
    Route("/api/v1/batteries", "wells"),
    Route("/api/v1/facilities", "wells"),
    Route("/api/v1/equipment", "wells"),
    Route("/api/v1/well-tests", "wells"),
    Route("/api/v1/permits", "wells"),
    # production
    Route("/api/v1/readings", "production"),
    Route("/api/v1/tank-gauges", "production"),
    Route("/api/v1/run-tickets", "production"),
    Route("/api/v1/allocations", "production"),
    Route("/api/v1/production", "production"),
    Route("/api/v1/forecasts", "production"),
    Route("/api/v1/production-alerts", "production"),
    # compliance: Form PR, severance tax, filing calendar; /api/v1/compliance holds the operator
    # settings and the RRC submissions (/api/v1/compliance/submissions)
    Route("/api/v1/form-pr", "compliance"),
    Route("/api/v1/severance-tax", "compliance"),
    Route("/api/v1/filing-calendar", "compliance"),
    Route("/api/v1/compliance", "compliance"),
    # accounting: partners and owners, decks and title holds, prices and revenue distribution runs
    # (owner statements under /api/v1/revenue/runs/{id}/statements), suspense, JIB, AFEs, GL export
    Route("/api/v1/partners", "accounting"),
    Route("/api/v1/ownership-decks", "accounting"),
    Route("/api/v1/title-holds", "accounting"),
    Route("/api/v1/prices", "accounting"),
    Route("/api/v1/revenue", "accounting"),
    Route("/api/v1/suspense", "accounting"),
    Route("/api/v1/jib", "accounting"),
    Route("/api/v1/afes", "accounting"),
    Route("/api/v1/gl", "accounting"),
    Route("/api/v1/tax", "accounting"),  # year-end 1099s (docs/1099.md)
    Route("/api/v1/payments", "accounting"),  # payment runs, ACH files, checks
    # Texas owner-payment law: the 91.403 rate, the late-payment clock, 91.504 requests, escheat
    Route("/api/v1/late-interest-rates", "accounting"),
    Route("/api/v1/late-payments", "accounting"),
    Route("/api/v1/information-requests", "accounting"),
    Route("/api/v1/escheat", "accounting"),
    Route("/api/v1/purchaser-statements", "accounting"),  # purchaser statements in
    Route("/api/v1/reconciliation", "accounting"),  # three-way reconciliation items
    Route("/api/v1/feeds", "integrations"),
    Route("/api/v1/webhooks", "integrations"),
    # documents: files with versions, links, retention; resumable uploads under /api/v1/documents/uploads
    Route("/api/v1/documents", "documents"),
    # notifications: a member's notifications (the bell) and preferences; the organization's deliveries
    Route("/api/v1/notifications", "notifications"),
)

# Exact paths (any method) the gateway forwards without a verified access token. The service behind
# still decides what it accepts; a bearer sent on these paths is forwarded unverified and unexchanged
# (token/api-key: identity checks the API key itself). Rate limited per client IP instead of principal.
PUBLIC_PATHS: frozenset[str] = frozenset(
    {
        "/api/v1/auth/signup",
        "/api/v1/auth/signin",
        "/api/v1/auth/refresh",
        "/api/v1/auth/signout",
        "/api/v1/auth/token/api-key",
        "/api/v1/auth/password-reset",
        "/api/v1/auth/password-reset/confirm",
        "/api/v1/invitations/accept",
        "/.well-known/jwks.json",
    }
)

# Public paths that keep a signed-in user's session: limited per client IP in a bucket of their own, so that
# sign-in floods and bad tokens from the same address (or the same proxy) never refuse them.
SESSION_PATHS: frozenset[str] = frozenset({"/api/v1/auth/refresh"})


class RouteTable:
    """Longest-prefix lookup over `routes`, validated once at start-up."""

    def __init__(self, routes: tuple[Route, ...] = ROUTES, public_paths: frozenset[str] = PUBLIC_PATHS) -> None:
        seen: dict[str, str] = {}
        for route in routes:
            if not route.prefix.startswith("/") or route.prefix.endswith("/") or "//" in route.prefix:
                raise ValueError(f"route prefix {route.prefix!r} must start with '/' and not end with '/'")
            if route.prefix in seen:
                claimed = f"{seen[route.prefix]} and {route.service}"
                raise ValueError(f"route prefix {route.prefix!r} is claimed by {claimed}")
            seen[route.prefix] = route.service
        self.routes = tuple(sorted(routes, key=lambda r: len(r.prefix), reverse=True))
        self._by_prefix = {prefix: Route(prefix, service) for prefix, service in seen.items()}
        self.public_paths = public_paths
        for path in public_paths:
            if self.match(path) is None:
                raise ValueError(f"public path {path!r} is not routed to any service")

    def match(self, path: str) -> Route | None:
        """The route owning `path`, or None."""
        # Walk the path's own prefixes from longest to shortest: O(segments) dict lookups.
        candidate = path.rstrip("/") or "/"
        while candidate:
            route = self._by_prefix.get(candidate)
            if route is not None:
                return route
            cut = candidate.rfind("/")
            if cut <= 0:
                return None
            candidate = candidate[:cut]
        return None

    def is_public(self, path: str) -> bool:
        return path in self.public_paths or (path.endswith("/") and path.rstrip("/") in self.public_paths)

    def services(self) -> list[str]:
        """Every service some prefix routes to, in table order."""
        return list(dict.fromkeys(route.service for route in sorted(self.routes, key=lambda r: r.prefix)))

    def owner_of(self, path: str) -> str | None:
        route = self.match(path)
        return route.service if route else None


def is_safe_path(path: str) -> bool:
    """False for paths an upstream might read differently from us: dot segments, empty segments, NUL, `\\`."""
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return False
    segments = path.split("/")[1:]
    for index, segment in enumerate(segments):
        if segment in (".", ".."):
            return False
        if segment == "" and index != len(segments) - 1:
            return False
    return True
