"""What the load balancer and the monitor ask: can this instance serve, and is the background work moving?

Beside django-health-check's database and cache checks: the broker answers, beat has run lately,
and nothing waits in the outbox (a staff e-mail, a patient's check-in or guide) longer than it should,
nor a photo for a worker to process it.
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
from .notifications import MAX_EMAIL_ATTEMPTS

BEAT = "beat"


def beat_seen() -> None:
    """Called by a task beat schedules every minute: the proof that beat and a worker both run."""
    Heartbeat.objects.update_or_create(name=BEAT, defaults={"beat_at": timezone.now()})


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
            Notification.objects.filter(emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS).aggregate(
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
