"""More than one machine, as the README's "Several machines" lays it out: two web processes behind a
proxy and two Celery workers on one database and one broker, with one beat. Each web process is
restarted in turn under load, as a rolling deploy does, and a worker is stopped and started again:
no request fails, and a check-in answered during the restart is stored once, even when the patient's
phone sends it again after the connection dropped.

The proxy here does what a load balancer in front of the web nodes does (nginx's defaults): it sends
each request to the next node, a read to the other node when the connection fails, and a form sent
elsewhere only when the node refused the connection, since a node that reset it may have stored it.
The patient then taps again, as a phone does when a page does not come back.
"""

import itertools
import re
import sys
import threading
import time

import pytest
import requests

from .test_celery_worker import free_port, wait_for
from .test_double_tap_on_sqlite import COUNT_REPORTS, MAKE_CHECK_IN
from .test_production_deploy import (  # noqa: F401 (fixtures)
    PROXIED,
    database_url,
    deployment,
    manage,
    redis,
    started,
    stop,
)

THANKS = "Thank you, we have your answers"


class Proxy:
    """Round robin over the web nodes; a refused connection goes to the next node."""

    def __init__(self, ports):
        self.ports = ports
        self._next = itertools.cycle(range(len(ports)))
        self._lock = threading.Lock()

    def request(self, method, path, **kwargs) -> requests.Response:
        with self._lock:
            first = next(self._next)
        for attempt in range(len(self.ports) * 20):
            port = self.ports[(first + attempt) % len(self.ports)]
            try:
                return requests.request(
                    method,
                    f"http://127.0.0.1:{port}{path}",
                    headers=PROXIED,
                    allow_redirects=False,
                    timeout=60,
                    **kwargs,
                )
            except requests.ConnectionError as failed:
                if method != "GET" and "Connection refused" not in str(failed):
                    raise
                if attempt % len(self.ports) == len(self.ports) - 1:
                    time.sleep(0.1)
        raise AssertionError(f"no web node answered {method} {path}")


class Load:
    """Readers asking for the check-in page and the sign-in page, all the time, through the proxy."""

    def __init__(self, proxy, paths, readers=4):
        self.proxy = proxy
        self.paths = paths
        self.answers: list[int] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._read, args=(n,)) for n in range(readers)]

    def _read(self, n):
        for path in itertools.cycle(self.paths[n % len(self.paths) :] + self.paths[: n % len(self.paths)]):
            if self._stop.is_set():
                return
            try:
                self.answers.append(self.proxy.request("GET", path).status_code)
            except (requests.RequestException, AssertionError) as failure:
                self.failures.append(f"{path}: {failure!r}")

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=90)


def answering(port) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/accounts/login/", headers=PROXIED, timeout=5)
    except (requests.ConnectionError, requests.Timeout):
        return False
    return True


def answered(proxy, link, answers) -> tuple[int, bool]:
    """The patient sends the answers, and taps again until the answer page comes back."""
    for _ in range(10):
        try:
            response = proxy.request("POST", link, data=answers)
        except requests.ConnectionError:
            continue
        if response.status_code == 302:
            response = proxy.request("GET", response.headers["Location"])
        return response.status_code, THANKS in response.text
    raise AssertionError("the answer page never came back")


@pytest.mark.redis
def test_a_rolling_restart_of_two_web_nodes_and_a_worker_loses_nothing(tmp_path, deployment):  # noqa: F811
    manage(deployment, "migrate", "--noinput")
    manage(deployment, "collectstatic", "--noinput")
    link = manage(deployment, "shell", "-c", MAKE_CHECK_IN).stdout.strip().splitlines()[-1]
    environment = {**deployment, "WEB_CONCURRENCY": "2"}
    ports = [free_port(), free_port()]
    celery = [sys.executable, "-m", "celery", "-A", "clinic"]

    def web(n):
        gunicorn = [sys.executable, "-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{ports[n]}"]
        return started(gunicorn, environment, tmp_path / f"web-{n}.log")

    def worker(n, turn=0):
        command = [*celery, "worker", "--concurrency=1", f"--hostname=worker{n}@%h"]
        return started(command, environment, tmp_path / f"worker-{n}-{turn}.log")

    webs = [web(0), web(1)]
    workers = [worker(0), worker(1)]
    beat = started([*celery, "beat", f"--schedule={tmp_path / 'beat-schedule'}"], environment, tmp_path / "beat.log")
    proxy = Proxy(ports)
    statuses = []
    try:
        for port in ports:
            wait_for(lambda port=port: answering(port), seconds=90, what=f"the web node on {port}")
        form = proxy.request("GET", link).text
        answers = dict.fromkeys(re.findall(r'name="(flag_\w+)"', form), "no")
        answers |= dict.fromkeys(re.findall(r'name="(reaction_\w+)"', form), "0")
        assert answers, form[:2000]

        with Load(proxy, [link, "/accounts/login/"]) as load:
            for n in range(2):
                time.sleep(1)
                webs[n].terminate()
                if n == 0:
                    # The node is going away: the answer reaches the other one, and the phone's resend too.
                    for _ in range(2):
                        statuses.append(answered(proxy, link, answers))
                assert webs[n].wait(timeout=60) == 0
                webs[n] = web(n)
                wait_for(lambda n=n: answering(ports[n]), seconds=90, what=f"web node {n} back")
            workers[0].terminate()
            assert workers[0].wait(timeout=60) == 0
            workers[0] = worker(0, turn=1)
            time.sleep(2)
    finally:
        stop([*webs, *workers, beat])

    assert load.failures == [], load.failures[:5]
    assert len(load.answers) > 20
    assert set(load.answers) == {200}, sorted(set(load.answers))
    assert statuses == [(200, True), (200, True)]
    assert manage(deployment, "shell", "-c", COUNT_REPORTS).stdout.strip().splitlines()[-1] == "1"
    for log in tmp_path.glob("*.log"):
        assert "Traceback" not in log.read_text(), log.name
