"""A morning at a clinic group: 50 staff and 200 patients, against gunicorn, a worker and beat.

Staff keep the dashboard open (it refreshes each minute), look at the whole clinic's queue, open
session pages, read the feed and log sessions; patients open their check-in link and answer it.
Started by `bin/loadtest` (`make loadtest`), which sets up Django with the same settings as the
server, so that the check-in links here are signed with the server's key. Users arrive over the
ramp bin/loadtest sets, staff signing in as they come, as a morning does. The run fails on any
failed request, and when the 95th percentile of all requests is over a second. At the end it says
how much of the machine's CPU Locust itself took, beside the server's (loadtest/cpu.py).
"""

import csv
import os
import random
import re
from datetime import timedelta
from pathlib import Path

import django
from locust import HttpUser, between, events, task

from loadtest import cpu

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
django.setup()

from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from checkins.services import link_path  # noqa: E402
from clinics.models import Clinic, Membership, Role  # noqa: E402
from demo.scale_clinics import PASSWORD  # noqa: E402
from recovery.models import CheckIn, CheckInStatus, ReactionType, RedFlagQuestion  # noqa: E402
from treatments.models import Batch, TreatmentSession  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DRAWINGS = re.compile(r'data-drawings="([^"]+)"')
STAFF = list(
    Membership.objects.filter(role=Role.PRACTITIONER, user__username__startswith="scale.")
    .order_by("user_id")
    .values_list("user__username", "user_id", "clinic_id")[:50]
)
P95_LIMIT_MS = 1000
CLINICS = {clinic_id for _username, _user_id, clinic_id in STAFF}
ZONES = {clinic.pk: clinic.zone for clinic in Clinic.objects.filter(pk__in=CLINICS)}
# What a practitioner picks on the session form: a patient of the clinic and a batch in date.
PATIENTS = {
    clinic_id: list(
        TreatmentSession.objects.filter(clinic_id=clinic_id)
        .order_by("-performed_at")
        .values_list("patient_id", flat=True)[:200]
    )
    for clinic_id in CLINICS
}
BATCHES = {
    clinic_id: list(
        Batch.objects.filter(
            product__clinic_id=clinic_id, quarantined_at__isnull=True, expiry_date__gt=timezone.localdate()
        ).values_list("pk", flat=True)[:20]
    )
    for clinic_id in CLINICS
}
SESSION_PAGES = {
    clinic_id: [
        reverse("photos:session_detail", args=[pk])
        for pk in TreatmentSession.objects.filter(clinic_id=clinic_id)
        .order_by("-performed_at")
        .values_list("pk", flat=True)[:200]
    ]
    for clinic_id in CLINICS
}
# Links of check-ins that were sent and await an answer, as patients would open them.
CHECK_INS = list(
    CheckIn.objects.filter(status=CheckInStatus.SENT, answered_at__isnull=True)
    .select_related("session")
    .order_by("-sent_at")[:2000]
)
random.shuffle(CHECK_INS)
ANSWERS = {}


def answers_for(clinic_id) -> dict:
    if clinic_id not in ANSWERS:
        data = {
            f"reaction_{code}": "0"
            for code in ReactionType.objects.filter(clinic_id=clinic_id).values_list("code", flat=True)
        }
        data.update(
            {
                f"flag_{code}": "no"
                for code in RedFlagQuestion.objects.filter(clinic_id=clinic_id).values_list("code", flat=True)
            }
        )
        ANSWERS[clinic_id] = data
    return ANSWERS[clinic_id]


class Staff(HttpUser):
    fixed_count = int(os.environ.get("LOADTEST_STAFF", "50"))
    # Between two things a member of staff does; the open dashboard refreshes itself each minute.
    wait_time = between(5, 15)

    def on_start(self):
        self.username, self.user_id, self.clinic_id = random.choice(STAFF)
        page = self.client.get("/accounts/login/", name="sign-in page")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )

    @task(2)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(1)
    def whole_clinic_queue(self):
        self.client.get("/?scope=clinic", name="dashboard, whole clinic")

    @task(4)
    def live_refresh(self):
        self.client.get("/", headers={"HX-Request": "true", "X-Background-Refresh": "1"}, name="dashboard refresh")

    @task(2)
    def session_page(self):
        self.client.get(random.choice(SESSION_PAGES[self.clinic_id]), name="session page")

    @task(1)
    def feed(self):
        self.client.get("/api/recoveries/", name="feed")

    @task(1)
    def log_a_session(self):
        form = self.client.get("/sessions/new/", name="session form")
        token = CSRF.search(form.text).group(1)
        performed_at = timezone.localtime(timezone.now() - timedelta(minutes=30), ZONES[self.clinic_id])
        self.client.post(
            "/sessions/new/",
            {
                "csrfmiddlewaretoken": token,
                "session-patient": str(random.choice(PATIENTS[self.clinic_id])),
                "session-performed_at": performed_at.strftime("%Y-%m-%dT%H:%M"),
                "session-practitioner": str(self.user_id),
                "session-areas": ["face"],
                "session-technique": "nappage",
                "session-aftercare": ["drink_water"],
                "products-TOTAL_FORMS": "1",
                "products-INITIAL_FORMS": "0",
                "products-MIN_NUM_FORMS": "1",
                "products-MAX_NUM_FORMS": "1000",
                "products-0-batch": str(random.choice(BATCHES[self.clinic_id])),
                "products-0-volume_ml": "2",
            },
            headers={"Referer": f"{self.host}/sessions/new/"},
            name="session logged",
        )


class Patient(HttpUser):
    fixed_count = int(os.environ.get("LOADTEST_PATIENTS", "200"))
    # Each simulated patient stands for one patient after another, each answering their link once.
    wait_time = between(30, 60)

    @task
    def answer_a_check_in(self):
        if not CHECK_INS:
            return
        check_in = CHECK_INS.pop()
        path = link_path(check_in)
        page = self.client.get(path, name="check-in page")
        # The page's script fetches the chart's drawings, which the browser then keeps: fetched here for
        # every check-in, as by a patient opening their first.
        if drawings := DRAWINGS.search(page.text):
            self.client.get(drawings.group(1), name="check-in drawings")
        self.client.post(path, answers_for(check_in.session.clinic_id), name="check-in answer")


WATCHED = cpu.watched_from(os.environ.get("LOADTEST_WATCH", ""))
READINGS = {}


@events.test_start.add_listener
def _cpu_at_start(environment, **kwargs):
    READINGS["start"] = cpu.read(WATCHED)


@events.test_stop.add_listener
def _cpu_at_stop(environment, **kwargs):
    READINGS["stop"] = cpu.read(WATCHED)


@events.quitting.add_listener
def _fail_on_errors_or_slowness(environment, **kwargs):
    total = environment.stats.total
    if total.fail_ratio > 0 or total.get_response_time_percentile(0.95) > P95_LIMIT_MS:
        environment.process_exit_code = 1
    if "start" in READINGS and "stop" in READINGS:
        _cpu_report(cpu.report(READINGS["start"], READINGS["stop"]))


def _cpu_report(rows) -> None:
    """Printed after Locust's tables, and kept beside its CSV files."""
    print(f"\nCPU during the run (Locust at nice {os.nice(0)}), seconds and share of all cores:")
    for name, seconds, share in rows:
        print(f"  {name:<26} {seconds:8.1f} s {share:6.1%}")
    path = Path(os.environ.get("LOADTEST_CPU_CSV", "var/loadtest_cpu.csv"))
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["what", "cpu_seconds", "share_of_cores"])
        writer.writerows([name, f"{seconds:.1f}", f"{share:.3f}"] for name, seconds, share in rows)
