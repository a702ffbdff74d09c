"""gunicorn, started as the README says, logs request paths with check-in tokens hidden."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .test_celery_worker import free_port

PROJECT = Path(__file__).resolve().parent.parent
TOKEN = "ImZhN2VhYzlkLTkzMzgtNDcyMC04MmRiLTg4NDAwNGM3ZmMyMiI:1xXUF4:NDCwZCCwAfLZZca_8mTFAgNCZv6zIwJT7xq5ux7JN6Y"


def test_gunicorns_access_log_hides_the_token_of_a_check_in_link(tmp_path):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    environment = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{port}", "--access-logfile", "-"],
            cwd=PROJECT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        path = f"/check-in/0f8e1c2a-1b2c-4d5e-8f90-123456789012/{TOKEN}/nothing/"
        status = None
        deadline = time.monotonic() + 30
        while status is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=20)

    logged = log.read_text()
    assert status == 404
    assert "/check-in/0f8e1c2a-1b2c-4d5e-8f90-123456789012/[hidden]/" in logged
    assert TOKEN.split(":")[0] not in logged
