import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import nats
import psutil
import pytest

from wellflow_devstack.servers import EmbeddedNats, EmbeddedPostgres, ServerError, free_port, port_answers

pytestmark = pytest.mark.integration


def postgres_family(server: EmbeddedPostgres) -> list[psutil.Process]:
    postmaster = server.postmaster()
    assert postmaster is not None
    return [postmaster, *postmaster.children(recursive=True)]


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    result = []
    for proc in procs:
        try:
            if proc.status() != psutil.STATUS_ZOMBIE:
                result.append(proc)
        except psutil.NoSuchProcess:
            pass
    return result


async def test_postgres_keeps_its_data_across_stop_and_start(scratch: Path, leftovers) -> None:
    server = EmbeddedPostgres(scratch / "pg", free_port(), durable=False)
    server.start()
    try:
        assert server.admin_url == f"postgresql://postgres@127.0.0.1:{server.port}/postgres"
        conn = await asyncpg.connect(server.admin_url)
        await conn.execute("CREATE TABLE run_ticket (id int PRIMARY KEY, barrels numeric(12, 2))")
        await conn.execute("INSERT INTO run_ticket VALUES (1, 182.50)")
        version = await conn.fetchval("SHOW server_version_num")
        await conn.close()
        assert int(version) >= 180000
        family = postgres_family(server)

        server.stop()

        assert alive(family) == []
        assert not port_answers(server.port)
        assert leftovers(str(server.pgdata)) == []

        server.start()
        conn = await asyncpg.connect(server.admin_url)
        assert str(await conn.fetchval("SELECT barrels FROM run_ticket WHERE id = 1")) == "182.50"
        await conn.close()
    finally:
        server.stop()
    assert leftovers(str(server.pgdata)) == []


async def test_postgres_also_listens_on_a_socket_in_its_folder(scratch: Path) -> None:
    server = EmbeddedPostgres(scratch / "pg", free_port(), durable=False)
    server.start()
    try:
        assert (server.socket_dir / f".s.PGSQL.{server.port}").is_socket()
        conn = await asyncpg.connect(host=str(server.socket_dir), port=server.port, user="postgres")
        assert await conn.fetchval("SELECT current_user") == "postgres"
        await conn.close()
    finally:
        server.stop()


def test_starting_twice_adopts_the_running_server(scratch: Path) -> None:
    first = EmbeddedPostgres(scratch / "pg", free_port(), durable=False)
    first.start()
    try:
        pid = first.postmaster().pid
        second = EmbeddedPostgres(scratch / "pg", first.port, durable=False)
        second.start()
        assert second.postmaster().pid == pid
    finally:
        first.stop()


def test_postgres_and_nats_stop_from_another_process(scratch: Path, leftovers) -> None:
    postgres = EmbeddedPostgres(scratch / "pg", free_port(), durable=False)
    broker = EmbeddedNats(scratch / "nats", free_port())
    postgres.start()
    broker.start()
    try:
        code = (
            "import sys; from pathlib import Path\n"
            "from wellflow_devstack.servers import EmbeddedNats, EmbeddedPostgres\n"
            "EmbeddedPostgres(Path(sys.argv[1]), int(sys.argv[2])).stop()\n"
            "EmbeddedNats(Path(sys.argv[3]), int(sys.argv[4])).stop()\n"
        )
        args = [str(postgres.data_dir), str(postgres.port), str(broker.store_dir), str(broker.port)]
        subprocess.run([sys.executable, "-c", code, *args], check=True, timeout=60)

        assert not postgres.is_running()
        assert not broker.is_running()
        assert leftovers(str(postgres.pgdata)) == []
        assert leftovers(str(broker.store_dir)) == []
    finally:
        broker.stop()
        postgres.stop()


def test_a_taken_port_is_reported_not_silently_shared(scratch: Path) -> None:
    broker = EmbeddedNats(scratch / "nats", free_port())
    broker.start()
    try:
        squatter = EmbeddedPostgres(scratch / "pg", broker.port, durable=False)
        with pytest.raises(ServerError, match="already in use"):
            squatter.start()
        with pytest.raises(ServerError, match="already in use"):
            EmbeddedNats(scratch / "other", broker.port).start()
    finally:
        broker.stop()


async def test_nats_keeps_jetstream_messages_across_restart(scratch: Path, leftovers) -> None:
    broker = EmbeddedNats(scratch / "nats", free_port())
    broker.start()
    try:
        assert broker.url == f"nats://127.0.0.1:{broker.port}"
        client = await nats.connect(broker.url)
        js = client.jetstream()
        await js.add_stream(name="TICKETS", subjects=["tickets.>"])
        ack = await js.publish("tickets.created", b"run ticket 1")
        assert ack.seq == 1
        await client.close()

        started = time.monotonic()
        broker.stop()
        assert time.monotonic() - started < 5
        assert not port_answers(broker.port)
        assert leftovers(str(broker.store_dir)) == []
        assert not broker.pid_file.exists()

        broker.start()
        client = await nats.connect(broker.url)
        info = await client.jetstream().stream_info("TICKETS")
        await client.close()
        assert info.state.messages == 1
    finally:
        broker.stop()


def test_nats_runs_in_its_own_session(scratch: Path) -> None:
    """So a Ctrl-C in the terminal reaches the supervising process only, which stops NATS once."""
    broker = EmbeddedNats(scratch / "nats", free_port())
    broker.start()
    try:
        import os

        pid = broker.process().pid
        assert os.getsid(pid) == pid
        assert os.getsid(pid) != os.getsid(0)
    finally:
        broker.stop()


def test_nats_started_from_a_worker_thread_outlives_the_thread(scratch: Path) -> None:
    """Tests start servers through asyncio.to_thread; the server must not die with that thread."""
    import threading

    broker = EmbeddedNats(scratch / "nats", free_port())
    starter = threading.Thread(target=broker.start)
    starter.start()
    starter.join()
    try:
        time.sleep(0.3)
        assert broker.is_running()
        assert port_answers(broker.port)
    finally:
        broker.stop()


def test_stopping_what_does_not_run_is_harmless(scratch: Path) -> None:
    EmbeddedPostgres(scratch / "pg", free_port()).stop()
    EmbeddedNats(scratch / "nats", free_port()).stop()


def test_the_plugin_provides_one_restartable_nats(nats_server, infra) -> None:
    nats_server.require_restartable()
    assert nats_server.url == infra.nats_url

    nats_server.stop()
    port = int(infra.nats_url.rsplit(":", 1)[1])
    assert not port_answers(port)
    nats_server.start()

    assert port_answers(port)


def test_a_test_that_leaves_nats_stopped(nats_server) -> None:
    nats_server.require_restartable()
    nats_server.stop()


async def test_gets_it_back_for_the_next_test(nats_server, infra) -> None:
    nats_server.require_restartable()

    client = await nats.connect(infra.nats_url)
    sub = await client.subscribe(f"{infra.subject_root}.ping")
    await client.publish(f"{infra.subject_root}.ping", b"pong")
    message = await sub.next_msg(timeout=2)
    await client.close()

    assert message.data == b"pong"
    assert infra.subject_root.startswith("wft") and len(infra.subject_root) == 11


async def test_postgres_with_a_password_refuses_every_connection_without_it(scratch: Path) -> None:
    """The dev stack's PostgreSQL authenticates (scram-sha-256), and a cluster made with trust before is
    brought over on its next start."""
    port = free_port()
    old = EmbeddedPostgres(scratch / "pg", port, durable=False)  # trust, as the dev stack used to run it
    old.start()
    try:
        await (await asyncpg.connect(old.admin_url)).close()
    finally:
        old.stop()
    for server in (
        EmbeddedPostgres(scratch / "pg", port, durable=False, password="pOld0123"),
        EmbeddedPostgres(scratch / "fresh", free_port(), durable=False, password="pNew0123"),
    ):
        server.start()
        try:
            assert server.admin_url.startswith("postgresql://postgres:p")
            wrong = server.display_url.replace("postgres@", "postgres:wrong@")
            for url in (server.display_url, wrong):
                with pytest.raises((asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError)):
                    await asyncpg.connect(url)
            conn = await asyncpg.connect(server.admin_url)
            assert await conn.fetchval("SHOW password_encryption") == "scram-sha-256"
            assert await conn.fetchval(
                "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'postgres'"
            )
            await conn.close()
            if server._socket_path_fits():  # the Unix socket asks for the password too
                with pytest.raises((asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError)):
                    await asyncpg.connect(host=str(server.socket_dir), port=server.port, user="postgres", password="x")
        finally:
            server.stop()
