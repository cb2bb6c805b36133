"""NATS as deployed speaks TLS only: a client that does not is refused before it can authenticate, a client that
does not trust the deployment's CA refuses the server, and servicekit's NATS_TLS_CA_FILE is what makes a
service trust it. (The dev stack stays plain: `wellflow up` writes its own nats.conf.)"""

from __future__ import annotations

import json
import socket

import nats
import pytest
from deploy_helpers import make_tls

from wellflow_servicekit.broker import ensure_stream, nats_connect_options

pytestmark = pytest.mark.integration


def _plain_exchange(port: int) -> tuple[dict, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=3) as raw:
        info = raw.recv(4096)
        raw.sendall(b'CONNECT {"verbose":false,"user":"admin","pass":"x"}\r\nPING\r\n')
        try:
            answer = raw.recv(4096)
        except (ConnectionResetError, TimeoutError):
            answer = b""
    return json.loads(info.split(b" ", 1)[1]), answer


async def test_nats_refuses_plain_clients_and_verifies_as_the_deployment_configures(
    start_deployed_nats, monkeypatch, tmp_path
):
    server = start_deployed_nats()
    info, answer = _plain_exchange(server.port)
    assert info["tls_required"] is True
    assert b"PONG" not in answer  # the server never talks plain text to it

    ca = str(server.tls.ca)
    monkeypatch.delenv("SSL_CERT_FILE")  # from here on only what the options say is trusted
    await ensure_stream(server.url("admin"), "wellflow", tls_ca_file=ca)
    client = await nats.connect(
        **nats_connect_options(server.url("wells"), inbox_prefix="_INBOX_wells", tls_ca_file=ca)
    )
    assert client.is_connected
    await client.close()

    stranger = make_tls(tmp_path / "another-ca")  # a CA the server's certificate does not come from
    with pytest.raises(Exception, match=r"(?i)certificate verify failed"):
        await nats.connect(
            **nats_connect_options(server.url("wells"), tls_ca_file=str(stranger.ca)),
            allow_reconnect=False,
            connect_timeout=3,
        )
