"""Client-side TLS for WellFlow's own HTTP hops (identity's JWKS, the gateway's upstreams): a context that
checks the server's certificate chain and host name against one CA file.

Deployments give every process the CA that signed identity's certificate (JWKS_CA_FILE, and the gateway's
GATEWAY_UPSTREAM_CA_FILE): that CA alone is trusted, not the system's list, so a certificate some public CA
issued for the same name is refused too. docs/deploy.md, "TLS", says which certificates there are.
"""

from __future__ import annotations

import ssl
from pathlib import Path


class TlsConfigurationError(ValueError):
    """A CA file that cannot be read: the process stops at start-up instead of failing every fetch later."""


def verifying_context(ca_file: str) -> ssl.SSLContext:
    """A client context (TLS 1.2 or later) that trusts only the CA certificates in ``ca_file`` and checks the
    server's name against the URL's host."""
    if not Path(ca_file).is_file():
        raise TlsConfigurationError(f"the CA file {ca_file} does not exist or is not a file")
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_file)
    except (ssl.SSLError, OSError) as exc:
        raise TlsConfigurationError(f"the CA file {ca_file} holds no usable PEM certificate ({exc})") from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context
