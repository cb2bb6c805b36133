"""The Kubernetes NATS configuration (deploy/nats/nats-cluster.conf) as a real 3-node cluster on this
machine: only the names and ports are pointed at 127.0.0.1. The release Job's command makes the events
stream with 3 replicas, and when the stream's leader is killed, every acknowledged event is still there
and publishing goes on."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import nats
import pytest
from deploy_helpers import NATS_DIR, SERVICE_USERS, TlsFiles, make_tls, nats_environment, point_tls_at
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

STREAM = "WELLFLOW_EVENTS"


def render_cluster(target: Path, index: int, ports: list[tuple[int, int, int]], tls: TlsFiles) -> Path:
    """nats-cluster.conf for server ``index`` with (client, cluster, monitor) ports of all three; clients and
    routes over TLS with ``tls`` (one certificate for all three, as the wellflow-nats-tls secret holds)."""
    target.mkdir(parents=True, exist_ok=True)
    client, cluster, monitor = ports[index]
    text = point_tls_at(
        (NATS_DIR / "nats-cluster.conf").read_text(),
        tls,
        cert="/etc/nats-tls/tls.crt",
        key="/etc/nats-tls/tls.key",
        ca="/etc/nats-tls/ca.crt",
    )
    replacements = [
        (r"(?m)^port: 4222$", f"port: {client}"),
        (r"(?m)^http_port: 8222$", f"http_port: {monitor}"),
        (r"(?m)^(\s*)port: 6222$", rf"\g<1>port: {cluster}"),
        (r"(?m)^(\s*)store_dir: /data/jetstream$", rf"\g<1>store_dir: {target / 'jetstream'}"),
        (r"(?m)^pid_file: /var/run/nats/nats.pid", f"pid_file: {target / 'nats.pid'}"),
    ]
    for number in range(3):
        replacements.append((rf"nats://nats-{number}\.nats-headless:6222", f"nats://127.0.0.1:{ports[number][1]}"))
    for pattern, value in replacements:
        text, count = re.subn(pattern, value, text)
        assert count == 1, f"nats-cluster.conf no longer has {pattern!r}: update this test's renderer"
    (target / "nats-cluster.conf").write_text(text)
    shutil.copy(NATS_DIR / "accounts.conf", target / "accounts.conf")
    (target / "tenants.conf").write_text("")
    return target / "nats-cluster.conf"


@pytest.fixture
def cluster(tmp_path, monkeypatch):
    from wellflow_devstack.servers import free_port, nats_server_binary, port_answers

    tls = make_tls(tmp_path / "tls")
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca))  # the clients trust the cluster's CA

    passwords = {user: f"{user}-cluster-password" for user in ("admin", *SERVICE_USERS)}
    ports = [(free_port(), free_port(), free_port()) for _ in range(3)]
    processes: list[subprocess.Popen[bytes]] = []
    for index in range(3):
        config = render_cluster(tmp_path / f"nats-{index}", index, ports, tls)
        log = open(tmp_path / f"nats-{index}.log", "wb")  # noqa: SIM115 - closed with the process
        processes.append(
            subprocess.Popen(
                [str(nats_server_binary()), "-c", str(config), "-a", "127.0.0.1"],
                env={**os.environ, "POD_NAME": f"nats-{index}", **nats_environment(passwords)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    deadline = time.monotonic() + 20
    for index, (client, _, _) in enumerate(ports):
        while not port_answers(client):
            if processes[index].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / f"nats-{index}.log").read_text())
            time.sleep(0.05)

    def url(user: str, servers: list[int] | None = None) -> list[str]:
        chosen = range(3) if servers is None else servers
        return [f"tls://{user}:{passwords[user]}@127.0.0.1:{ports[i][0]}" for i in chosen]

    yield url, processes
    for proc in processes:
        if proc.poll() is None:
            proc.terminate()
    for proc in processes:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def ensure_stream_like_the_job(nats_url: str) -> str:
    """The stream Job's container command, retried like its backoffLimit while the cluster elects a leader."""
    deadline = time.monotonic() + 60
    while True:
        result = subprocess.run(
            [sys.executable, "-m", "wellflow_servicekit.stream_cli", "--replicas", "3"],
            env={**os.environ, "NATS_URL": nats_url, "EVENT_SUBJECT_ROOT": "wellflow"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode == 0:
            return result.stdout
        if time.monotonic() > deadline:
            raise AssertionError(result.stderr[-2000:])
        time.sleep(1)


async def retry_until_elected(call, timeout: float = 45.0):
    """Retry a JetStream call while the surviving servers elect new leaders (a few seconds)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            return await call()
        except Exception:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.25)


async def test_three_replica_stream_survives_losing_its_leader(cluster):
    url, processes = cluster
    output = ensure_stream_like_the_job(url("admin", [0])[0])  # the Job reaches one server, as through a Service
    assert "3 replica(s)" in output

    tenant = uuid4()
    subject = f"wellflow.evt.{tenant}.wells.well_registered.v1"
    wells = await nats.connect(
        url("wells"), max_reconnect_attempts=-1, reconnect_time_wait=0.2, inbox_prefix="_INBOX_wells"
    )
    admin = await nats.connect(url("admin"), max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    try:
        js = wells.jetstream(timeout=5)
        for n in range(100):
            await js.publish(subject, f'{{"n": {n}}}'.encode(), stream=STREAM, headers={"Nats-Msg-Id": f"a-{n}"})
        info = await admin.jetstream().stream_info(STREAM)
        assert info.config.num_replicas == 3 and len(info.cluster.replicas or []) == 2
        leader = int(info.cluster.leader.removeprefix("nats-"))

        processes[leader].send_signal(signal.SIGKILL)  # the leader dies without a goodbye
        processes[leader].wait(timeout=10)

        for n in range(100, 150):  # the two survivors elect a new leader and take writes again
            await retry_until_elected(
                lambda n=n: js.publish(
                    subject, f'{{"n": {n}}}'.encode(), stream=STREAM, headers={"Nats-Msg-Id": f"b-{n}"}
                )
            )

        survivors = [i for i in range(3) if i != leader]
        reader = await nats.connect(url("production", survivors), inbox_prefix="_INBOX_production")
        try:
            pull = await retry_until_elected(
                # one of production's own consumers: its user may create no other (deploy/nats/accounts.conf)
                lambda: reader.jetstream(timeout=5).pull_subscribe(
                    "wellflow.evt.*.wells.well_registered.v1",
                    durable="production-well-registered",
                    stream=STREAM,
                    config=ConsumerConfig(
                        durable_name="production-well-registered",
                        deliver_policy=DeliverPolicy.ALL,
                        ack_policy=AckPolicy.EXPLICIT,
                    ),
                )
            )
            seen: list[int] = []
            while len(seen) < 150:
                for message in await pull.fetch(batch=50, timeout=5):
                    seen.append(int(message.data.decode().split(":")[1].strip(" }")))
                    await message.ack()
            assert seen == list(range(150)), "every acknowledged event, once, in order"
        finally:
            await reader.close()
    finally:
        await wells.close()
        await admin.close()
