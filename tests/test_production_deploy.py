"""The README's production steps, run as an operator would: migrate, collectstatic, the deployment
checklist, then gunicorn (reading gunicorn.conf.py), a Celery worker and beat, all with DEBUG=0,
behind what a proxy would send. Real pages, real static files and /health/ are asked for over HTTP.

A collectstatic that cannot resolve a reference (a source map the vendored file names, a url() in a
stylesheet) writes no manifest, and every page then answers 500: so this runs in CI, not by hand.
"""

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urljoin

import psycopg
import pytest
import requests
from django.core.management import call_command

from clinic import settings as project_settings

from .services import service_missing
from .test_celery_worker import Redis, free_port, wait_for
from .test_deployment import production_environment

PROJECT = Path(__file__).resolve().parent.parent
HOST = "clinic.example.com"
# What the HTTPS proxy in front of gunicorn adds to every request (README, "Running in production").
PROXIED = {"Host": HOST, "X-Forwarded-Proto": "https"}
STAFF_PASSWORD = "a-long-deploy-password"
MAKE_STAFF = f"""
from tests.factories import MembershipFactory, PatientFactory
membership = MembershipFactory(user__username="deploy.nurse", user__password="{STAFF_PASSWORD}")
PatientFactory(clinic=membership.clinic, first_name="Delphine", last_name="Deployed")
"""


@pytest.fixture
def database_url(tmp_path):
    """A database of the deploy's own: PostgreSQL where the suite runs on it (CI), else SQLite."""
    shared = os.environ.get("DATABASE_URL", "")
    if not shared.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
        return
    server, _, _name = shared.rpartition("/")
    name = f"recovery_desk_deploy_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis(tmp_path):
    if shutil.which("redis-server") is None:
        service_missing("redis-server is not installed")
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def deployment(tmp_path, database_url, redis):
    """The production environment of the README, every outside service on loopback."""
    return production_environment(
        tmp_path,
        DATABASE_URL=database_url,
        REDIS_URL=redis.url,
        CELERY_BROKER_URL=None,
        CACHE_URL=redis.url.replace("/0", "/1"),
        # Nothing listens there: no message may leave this machine, and none is due.
        EMAIL_URL=f"smtp://127.0.0.1:{free_port()}",
        TEXT_MESSAGE_API_URL=f"http://127.0.0.1:{free_port()}/v2/messages",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PHOTO_ROOT=str(tmp_path / "photos"),
        SITE_URL=f"https://{HOST}",
        DJANGO_SETTINGS_MODULE="clinic.settings",
    )


def manage(environment, *arguments, timeout=300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(arguments)}:\n{result.stdout}\n{result.stderr}"
    return result


class Browser:
    """Requests as the proxy forwards them. The app sets Secure cookies (the proxy speaks HTTPS to
    the browser), so cookies are carried by hand over the loopback's plain HTTP."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = {}

    def request(self, method, path, **kwargs):
        headers = {**PROXIED, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)


def started(command, environment, log: Path) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=output, stderr=subprocess.STDOUT)


def stop(processes):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def static_paths(html: str) -> list[str]:
    return sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html)))


@pytest.mark.redis
def test_the_readmes_production_steps_serve_pages_static_files_and_a_green_health(tmp_path, deployment):
    manage(deployment, "migrate", "--noinput")
    manage(deployment, "recovery_reassess")
    manage(deployment, "collectstatic", "--noinput")
    manage(deployment, "check", "--deploy", "--fail-level", "WARNING")
    manage(deployment, "shell", "-c", MAKE_STAFF)
    assert (tmp_path / "static" / "staticfiles.json").exists()

    port = free_port()
    celery = [sys.executable, "-m", "celery", "-A", "clinic"]
    processes = [
        started(
            [sys.executable, "-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{port}"],
            deployment,
            tmp_path / "gunicorn.log",
        ),
        started([*celery, "worker", "--concurrency=1"], deployment, tmp_path / "worker.log"),
        started([*celery, "beat", f"--schedule={tmp_path / 'beat-schedule'}"], deployment, tmp_path / "beat.log"),
    ]
    browser = Browser(port)
    try:
        wait_for(lambda: _answers(browser), seconds=60, what="gunicorn")

        login = browser.get("/accounts/login/")
        assert login.status_code == 200, login.text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        signed_in = browser.post(
            "/accounts/login/",
            data={"username": "deploy.nurse", "password": STAFF_PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"https://{HOST}/accounts/login/"},
        )
        assert signed_in.status_code == 302, signed_in.text
        patients = browser.get("/patients/")
        assert patients.status_code == 200
        assert "Deployed" in patients.text
        session_form = browser.get("/sessions/new/")
        assert session_form.status_code == 200

        assets = static_paths(login.text + patients.text + session_form.text)
        assert any(re.search(r"/static/css/app\.[0-9a-f]{12}\.css$", path) for path in assets), assets
        assert any("tom-select.base.min." in path for path in assets), assets
        for path in assets:
            asset = browser.get(path)
            assert asset.status_code == 200, path
            assert "immutable" in asset.headers["Cache-Control"], path
            for source_map in re.findall(r"sourceMappingURL=([^\s*]+)", asset.text):
                assert browser.get(urljoin(path, source_map)).status_code == 200, f"{path} names {source_map}"

        # gunicorn.conf.py's limits: refused before Django reads the request.
        assert browser.get("/patients/?q=" + "a" * 5000).status_code == 414
        assert browser.get("/patients/", headers={f"X-Padding-{n}": "x" for n in range(60)}).status_code == 431

        # Beat schedules the minute's tasks a minute after it starts; the worker runs them.
        wait_for(lambda: browser.get("/health/?format=json").status_code == 200, seconds=150, what="a green /health/")
    finally:
        stop(processes)
    # The health checks log why they failed while beat had not run yet: the pages must not have.
    assert not re.search(r"Internal Server Error: (?!/health/)", (tmp_path / "gunicorn.log").read_text())
    assert "Traceback" not in (tmp_path / "worker.log").read_text()


def _answers(browser) -> bool:
    try:
        browser.get("/health/")
    except requests.ConnectionError:
        return False
    return True


def test_collectstatic_fails_on_a_source_map_that_is_not_there(tmp_path, settings):
    vendored = tmp_path / "vendored"
    vendored.mkdir()
    (vendored / "widget.min.js").write_text("var widget = 1;\n//# sourceMappingURL=widget.min.js.map\n")
    settings.STATICFILES_DIRS = [vendored]
    settings.STATIC_ROOT = tmp_path / "collected"
    # The suite serves static files without a manifest (nothing is collected); production has one.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": project_settings.STORAGES["staticfiles"]}

    with pytest.raises(ValueError, match=r"widget\.min\.js\.map"):
        call_command("collectstatic", "--noinput", verbosity=0)
