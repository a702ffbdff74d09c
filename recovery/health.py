"""Is the recovery's outbox moving? Nothing waits (a staff e-mail, a patient's check-in or guide)
longer than it should, and nothing was given up lately. photos.health asks after the photos waiting
for a worker; messaging.health the rest: the broker, beat, the mail server and the text provider."""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .models import CheckIn, CheckInStatus, GuideMessage, GuideStatus, Notification

# A message given up keeps the check red this long.
GIVEN_UP_SHOWS_FOR = timedelta(hours=1)


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
