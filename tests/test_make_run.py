"""`make run`'s processes: the worker and beat keep to warnings, and the address and logins come last."""

import os
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from honcho.environ import parse_procfile

PROJECT = Path(__file__).resolve().parent.parent
LOGINS = ["manager", "nurse.alice", "dr.ben", "nurse.chloe", "password: recovery-demo"]
LAST_LINE = "Press Ctrl-C to stop."
# Logging set up the way the Celery worker and beat set it up, with their --loglevel flag.
LEVEL_AS_THE_WORKER_SETS_IT = """
import logging
from clinic.celery import app
app.log.setup(loglevel="INFO")
print(logging.getLevelName(logging.getLogger("celery.worker.strategy").getEffectiveLevel()))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Output:
    """A process's output lines, read in a thread so that the test can wait with a deadline."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))

    def until(self, text: str, *, seconds: float) -> list[str]:
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self.lines):
            try:
                self.lines.append(self._queue.get(timeout=max(deadline - time.monotonic(), 0)))
            except queue.Empty:
                raise AssertionError(f"no {text!r} within {seconds} s:\n" + "\n".join(self.lines)) from None
        return self.lines

    def settle(self, seconds: float) -> list[str]:
        """Whatever else arrives within `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.lines.append(self._queue.get(timeout=left))
            except queue.Empty:
                break
        return self.lines


def test_the_worker_and_beat_log_warnings_and_errors_only():
    processes = parse_procfile((PROJECT / "Procfile").read_text()).processes
    for name in ("worker", "beat"):
        assert processes[name].split()[:2] == ["LOG_LEVEL=WARNING", "celery"], processes[name]
        assert "--quiet" in processes[name].split()

    # Celery hands its logging to the project's, so LOG_LEVEL decides whatever --loglevel says.
    level = subprocess.run(
        [sys.executable, "-c", LEVEL_AS_THE_WORKER_SETS_IT],
        cwd=PROJECT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert level.stdout.strip() == "WARNING"


def test_the_banner_waits_for_the_web_server_then_stays_until_stopped():
    port = free_port()
    ready = subprocess.Popen(
        [PROJECT / "bin" / "ready"],
        env={**os.environ, "WEB_PORT": str(port)},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        silent, _, _ = select.select([ready.stdout], [], [], 1.5)
        assert silent == []

        with socket.create_server(("127.0.0.1", port)):
            lines = Output(ready).until(LAST_LINE, seconds=10)

        banner = "\n".join(lines)
        assert f"http://127.0.0.1:{port}/" in banner
        assert all(login in banner for login in LOGINS)
        assert "No Redis" not in banner
        # honcho stops every process when one ends: the banner must not.
        time.sleep(0.5)
        assert ready.poll() is None
    finally:
        os.killpg(ready.pid, signal.SIGTERM)
        ready.wait(timeout=10)


def test_without_redis_the_web_server_alone_starts_and_the_banner_comes_last(tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "DEBUG": "1",
        "WEB_PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        # Nothing listens on a port just found free.
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    # The broker is REDIS_URL's unless set apart.
    environment.pop("CELERY_BROKER_URL", None)
    serve = subprocess.Popen(
        [PROJECT / "bin" / "serve"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output = Output(serve)
        output.until(LAST_LINE, seconds=60)
        lines = output.settle(2)
    finally:
        # What Ctrl-C does: honcho stops every process it started.
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            raise

    text = "\n".join(lines)
    assert "No Redis, so no Celery worker or beat" in text
    assert "web.1" in text
    assert "worker.1" not in text
    assert "beat.1" not in text
    last = [line for line in lines if line.split("|", 1)[-1].strip()][-1]
    assert last.endswith(LAST_LINE)
    started = next(i for i, line in enumerate(lines) if f"127.0.0.1:{port}/" in line and "web.1" in line)
    address = next(i for i, line in enumerate(lines) if f"running at http://127.0.0.1:{port}/" in line)
    assert started < address
