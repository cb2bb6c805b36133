"""Where a webhook may be sent: never to a private, loopback, link-local, metadata or otherwise non-public
address (server-side request forgery). The URL is checked when it is registered, and every address its
host resolves to is checked again before each delivery, which then connects to the checked address
(a name that resolved to a public address at registration may resolve to 10.0.0.5 later: DNS rebinding).

``allow_loopback`` (the dev setting ``WEBHOOK_ALLOW_LOCALHOST``) admits http:// and loopback addresses, for
tests and a developer's machine only.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000
# Cloud metadata services that sit on ordinary-looking addresses besides 169.254.169.254 (link-local).
METADATA = frozenset({ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")})


class RefusedUrl(ValueError):
    """A URL a webhook may not be sent to; the message says why, for the person who entered it."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int


def parse_url(url: str, *, allow_loopback: bool = False) -> Target:
    """The scheme, host and port of a webhook URL, or RefusedUrl (only https, unless the dev setting)."""
    if len(url) > MAX_URL_LENGTH:
        raise RefusedUrl(f"longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RefusedUrl(f"not a valid URL: {exc}") from None
    schemes = ("https", "http") if allow_loopback else ("https",)
    if parts.scheme not in schemes:
        raise RefusedUrl("must be an https:// URL")
    if not parts.hostname:
        raise RefusedUrl("has no host")
    if parts.username or parts.password:
        raise RefusedUrl("must not carry a user name or password (the signature authenticates us)")
    if parts.fragment:
        raise RefusedUrl("must not have a #fragment")
    host = parts.hostname.rstrip(".").lower()
    literal = _literal(host)
    if literal is not None:
        check_address(literal, allow_loopback=allow_loopback)
    elif host == "localhost" or host.endswith(".localhost"):
        if not allow_loopback:
            raise RefusedUrl("localhost is not reachable from outside")
    elif "." not in host:
        raise RefusedUrl("must name a public host (a fully qualified name)")
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80))


def check_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_loopback: bool = False) -> None:
    """RefusedUrl unless ``address`` is a public unicast address (or loopback with the dev setting)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        if allow_loopback:
            return
        raise RefusedUrl(f"resolves to a loopback address ({address})")
    if address in METADATA or address.is_link_local:
        raise RefusedUrl(f"resolves to a link-local or metadata address ({address})")
    if address.is_private or address.is_reserved or address.is_multicast or address.is_unspecified:
        raise RefusedUrl(f"resolves to a private or reserved address ({address})")
    if not address.is_global:
        raise RefusedUrl(f"resolves to a non-public address ({address})")


def check_addresses(addresses: list[str], *, allow_loopback: bool = False) -> str:
    """Every resolved address must pass (one bad answer refuses the URL); returns the one to connect to."""
    if not addresses:
        raise RefusedUrl("its host does not resolve")
    for text in addresses:
        check_address(ipaddress.ip_address(text), allow_loopback=allow_loopback)
    return addresses[0]


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    # 2130706433, 0x7f000001 and 127.1 are 127.0.0.1 to a resolver: refuse the numeric forms outright.
    if all(part.isdigit() or part.startswith("0x") for part in host.split(".")):
        raise RefusedUrl("numeric host names other than dotted quads are not accepted")
    return None
