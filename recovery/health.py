"""What the load balancer and the monitor ask: can this instance serve, and is the background work moving?

Beside django-health-check's database and cache checks: the broker answers, beat has run lately,
nothing waits in the outbox (a staff e-mail, a patient's check-in or guide) longer than it should,
nor a photo for a worker to process it, nothing was given up lately, and the mail server and the text
provider answered the last time they were asked.
"""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from clinics.broker import broker_answers

from .models import CheckIn, CheckInStatus, GuideMessage, GuideStatus, Heartbeat, Notification, PhotoUpload, UploadState

BEAT = "beat"
MAIL = "mail"
TEXTS = "texts"
# A message given up, or a server that did not answer, keeps the check red this long.
GIVEN_UP_SHOWS_FOR = timedelta(hours=1)


def beat_seen() -> None:
    """Called by a task beat schedules every minute: the proof that beat and a worker both run."""
    Heartbeat.objects.update_or_create(name=BEAT, defaults={"beat_at": timezone.now()})


def sender_seen(sender: str, *, answered: bool) -> None:
    """After each attempt to hand a message to the mail server (MAIL) or the text provider (TEXTS):
    whether it answered, even with a refusal, or said nothing (down, or hung half-way)."""
    name = f"{sender}-{'answered' if answered else 'silent'}"
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


@dataclasses.dataclass
class Broker(HealthCheck):
    timeout = timedelta(seconds=3)

    def run(self) -> None:
        if error := broker_answers(timeout=2):
            raise ServiceUnavailable("The Celery broker does not answer.") from error


@dataclasses.dataclass
class Beat(HealthCheck):
    def run(self) -> None:
        last = Heartbeat.objects.filter(name=BEAT).values_list("beat_at", flat=True).first()
        if last is None:
            raise ServiceUnavailable("Beat has never run the minute's tasks.")
        late = timezone.now() - last
        if late > timedelta(seconds=settings.HEALTH_BEAT_LATE_SECONDS):
            raise ServiceUnavailable(f"Beat last ran the minute's tasks {int(late.total_seconds())} s ago.")


@dataclasses.dataclass
class Outbox(HealthCheck):
    def run(self) -> None:
        now = timezone.now()
        waiting_since = [
            Notification.objects.filter(emailed_at__isnull=True, email_given_up_at__isnull=True).aggregate(
                oldest=Min("created_at")
            )["oldest"],
            CheckIn.objects.filter(Q(status=CheckInStatus.PLANNED) | Q(status=CheckInStatus.SENDING))
            .filter(due_at__lte=now)
            .aggregate(oldest=Min("due_at"))["oldest"],
            GuideMessage.objects.filter(status__in=[GuideStatus.PENDING, GuideStatus.SENDING]).aggregate(
                oldest=Min("created_at")
            )["oldest"],
        ]
        oldest = min((moment for moment in waiting_since if moment), default=None)
        if oldest and now - oldest > timedelta(seconds=settings.HEALTH_OUTBOX_LATE_SECONDS):
            minutes = int((now - oldest).total_seconds() // 60)
            raise ServiceUnavailable(f"A message has waited {minutes} min to be sent.")
        # A photo waits for a worker as a message does: the patient's page says it is being processed.
        photo = PhotoUpload.objects.filter(state=UploadState.PENDING).aggregate(oldest=Min("received_at"))["oldest"]
        if photo and now - photo > timedelta(seconds=settings.HEALTH_OUTBOX_LATE_SECONDS):
            minutes = int((now - photo).total_seconds() // 60)
            raise ServiceUnavailable(f"A photo has waited {minutes} min to be processed.")


@dataclasses.dataclass
class GivenUp(HealthCheck):
    """A check-in, guide or staff e-mail given up lately: someone must see why, whatever the cause."""

    def run(self) -> None:
        since = timezone.now() - GIVEN_UP_SHOWS_FOR
        given_up = {
            "check-in": CheckIn.objects.filter(given_up_at__gte=since),
            "recovery guide": GuideMessage.objects.filter(given_up_at__gte=since),
            "staff e-mail": Notification.objects.filter(email_given_up_at__gte=since),
        }
        named = [what for what, rows in given_up.items() if rows.exists()]
        if named:
            raise ServiceUnavailable(f"Given up in the last hour: {', '.join(named)}.")


@dataclasses.dataclass
class Senders(HealthCheck):
    """The mail server or the text provider said nothing the last time it was asked (down, or hung
    after taking a message), and has not answered since."""

    def run(self) -> None:
        beats = dict(Heartbeat.objects.filter(name__contains="-").values_list("name", "beat_at"))
        since = timezone.now() - GIVEN_UP_SHOWS_FOR
        for sender, words in ((MAIL, "The mail server"), (TEXTS, "The text provider")):
            silent, answered = beats.get(f"{sender}-silent"), beats.get(f"{sender}-answered")
            if silent and silent >= since and (answered is None or answered < silent):
                raise ServiceUnavailable(f"{words} did not answer at {silent:%H:%M} UTC, nor since.")
