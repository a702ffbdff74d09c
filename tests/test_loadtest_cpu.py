"""What `make loadtest` says of the machine's CPU at the end: Locust's share beside the server's, and
what anything else on the machine took, so a slow run on busy cores is read as such."""

import psutil
import psycopg
from django.db import connection

from loadtest import cpu

from .services import service_missing


def test_the_report_gives_each_parts_cpu_and_leaves_the_rest_to_anything_else(monkeypatch):
    monkeypatch.setattr(psutil, "cpu_count", lambda: 2)
    start = cpu.Reading(at=0.0, machine_busy=1000.0, machine_total=5000.0, trees={"gunicorn": 10.0, "locust": 1.0})
    end = cpu.Reading(at=60.0, machine_busy=1090.0, machine_total=5120.0, trees={"gunicorn": 40.0, "locust": 7.0})

    rows = {name: (round(seconds, 1), round(share, 3)) for name, seconds, share in cpu.report(start, end)}

    assert rows == {
        "machine, busy": (90.0, 0.75),
        "gunicorn": (30.0, 0.25),
        "locust": (6.0, 0.05),
        "anything else": (54.0, 0.45),
    }


def test_the_processes_watched_are_named_as_bin_loadtest_names_them():
    assert cpu.watched_from("gunicorn=123 worker=456 beat=789") == {"gunicorn": 123, "worker": 456, "beat": 789}
    assert cpu.watched_from("") == {}


def test_a_reading_counts_this_process_as_locust_and_a_process_gone_as_nothing():
    # Past the kernel's largest process id: no such process can be running.
    reading = cpu.read({"gone": 2**22 + 12345})

    assert reading.trees["gone"] == 0.0
    assert reading.trees["locust"] > 0
    assert 0 < reading.machine_busy <= reading.machine_total


def test_postgresqls_share_counts_the_connections_that_have_ended(db):
    if connection.vendor != "postgresql" or connection.settings_dict["HOST"] not in {"127.0.0.1", "localhost"}:
        service_missing("PostgreSQL on this machine (set DATABASE_URL)")
    before = cpu.postgres_seconds()

    # Each a connection of its own, ended before the reading, as a server's short connections are.
    ended = []
    for _ in range(3):
        with psycopg.connect(**connection.get_connection_params()) as busy:
            busy.execute("SELECT count(*) FROM generate_series(1, 3000000)").fetchone()
            ended.append(psutil.Process(busy.info.backend_pid))
    # The server reaps a connection's process a moment after it closes; its time is counted from then.
    _gone, alive = psutil.wait_procs(ended, timeout=10)

    assert not alive
    assert cpu.postgres_seconds() - before > 0.2
