"""The development server on SQLite, as `make run` serves it: two answers to one check-in link sent
at the same instant (a double tap, a retry after a dropped connection) store one report, and both
taps get the answer page. SQLite has no row locks; before its transactions took the write lock at
once, the second tap failed with "database is locked"."""

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import requests

from .test_celery_worker import free_port, wait_for

PROJECT = Path(__file__).resolve().parent.parent
MAKE_CHECK_IN = """
from datetime import timedelta
from django.utils import timezone
from checkins import services as check_ins
from recovery.models import CheckIn, CheckInStatus
from tests.factories import MembershipFactory, PatientFactory, TreatmentSessionFactory
membership = MembershipFactory()
session = TreatmentSessionFactory(
    patient=PatientFactory(clinic=membership.clinic),
    practitioner=membership.user,
    performed_at=timezone.now() - timedelta(days=1),
)
sent = timezone.now() - timedelta(hours=1)
check_in = CheckIn.objects.create(session=session, due_at=sent, status=CheckInStatus.SENT, sent_at=sent)
print(check_ins.link_path(check_in))
"""
COUNT_REPORTS = "from recovery.models import ReactionReport; print(ReactionReport.objects.count())"


def manage(environment, *arguments) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_double_tap_on_the_development_server_stores_one_report_and_answers_both(tmp_path):
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "TEXT_MESSAGE_BACKEND": "messaging.text_messages.ConsoleBackend",
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
    }
    manage(environment, "migrate", "--noinput")
    link = manage(environment, "shell", "-c", MAKE_CHECK_IN).strip().splitlines()[-1]
    port = free_port()
    with (tmp_path / "runserver.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=PROJECT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}{link}"
        wait_for(lambda: _answers(url), seconds=60, what="the development server")
        form = requests.get(url, timeout=30).text
        answers = dict.fromkeys(re.findall(r'name="(flag_\w+)"', form), "no")
        answers |= dict.fromkeys(re.findall(r'name="(reaction_\w+)"', form), "1")
        barrier = threading.Barrier(2)
        statuses = []

        def tap():
            barrier.wait(timeout=10)
            response = requests.post(url, data=answers, timeout=60)
            statuses.append((response.status_code, "Thank you, we have your answers" in response.text))

        taps = [threading.Thread(target=tap) for _ in range(2)]
        for thread in taps:
            thread.start()
        for thread in taps:
            thread.join(timeout=90)
    finally:
        server.terminate()
        server.wait(timeout=20)

    assert statuses == [(200, True), (200, True)], (tmp_path / "runserver.log").read_text()[-3000:]
    assert manage(environment, "shell", "-c", COUNT_REPORTS).strip().splitlines()[-1] == "1"


def _answers(url) -> bool:
    try:
        requests.get(url, timeout=5)
    except requests.ConnectionError:
        return False
    return True
