"""Staff at work and patients answering check-ins, against gunicorn on loopback.

Started by `bin/loadtest` (`make loadtest`), which sets up Django with the same settings
as the server, so that the check-in links here are signed with the server's key.
"""

import os
import random
import re

import django
from locust import HttpUser, between, events, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
django.setup()

from django.urls import reverse  # noqa: E402

from checkins.services import link_path  # noqa: E402
from clinics.models import Membership, Role  # noqa: E402
from demo.scale_clinics import PASSWORD  # noqa: E402
from recovery.models import CheckIn, CheckInStatus, ReactionType, RedFlagQuestion  # noqa: E402
from treatments.models import TreatmentSession  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAFF = list(
    Membership.objects.filter(role=Role.PRACTITIONER, user__username__startswith="scale.")
    .order_by("user_id")
    .values_list("user__username", "clinic_id")[:40]
)
SESSION_PAGES = {
    clinic_id: [
        reverse("photos:session_detail", args=[pk])
        for pk in TreatmentSession.objects.filter(clinic_id=clinic_id)
        .order_by("-performed_at")
        .values_list("pk", flat=True)[:200]
    ]
    for clinic_id in {clinic_id for _username, clinic_id in STAFF}
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
    weight = 4
    wait_time = between(1, 3)

    def on_start(self):
        self.username, self.clinic_id = random.choice(STAFF)
        page = self.client.get("/accounts/login/")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
        )

    @task(4)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(2)
    def whole_clinic_queue(self):
        self.client.get("/?scope=clinic", name="dashboard, whole clinic")

    @task(2)
    def live_refresh(self):
        self.client.get("/", headers={"HX-Request": "true", "X-Background-Refresh": "1"}, name="dashboard refresh")

    @task(2)
    def session_page(self):
        self.client.get(random.choice(SESSION_PAGES[self.clinic_id]), name="session page")

    @task(1)
    def feed(self):
        self.client.get("/api/recoveries/", name="feed")


class Patient(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    @task
    def answer_a_check_in(self):
        if not CHECK_INS:
            return
        check_in = CHECK_INS.pop()
        path = link_path(check_in)
        self.client.get(path, name="check-in page")
        self.client.post(path, answers_for(check_in.session.clinic_id), name="check-in answer")


@events.quitting.add_listener
def _fail_on_errors(environment, **kwargs):
    if environment.stats.total.fail_ratio > 0:
        environment.process_exit_code = 1
