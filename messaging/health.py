"""Is the background work moving, and do the messages' other ends answer? The broker answers, beat has
run lately (a task it schedules every minute proves beat and a worker both run), and the mail server and
the text provider answered the last time they were asked."""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from clinics.broker import broker_answers

from .models import Heartbeat

BEAT = "beat"
MAIL = "mail"
TEXTS = "texts"
# A server that did not answer keeps the check red this long.
SILENCE_SHOWS_FOR = timedelta(hours=1)


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
class Senders(HealthCheck):
    """The mail server or the text provider said nothing the last time it was asked (down, or hung
    after taking a message), and has not answered since."""

    def run(self) -> None:
        beats = dict(Heartbeat.objects.filter(name__contains="-").values_list("name", "beat_at"))
        since = timezone.now() - SILENCE_SHOWS_FOR
        for sender, words in ((MAIL, "The mail server"), (TEXTS, "The text provider")):
            silent, answered = beats.get(f"{sender}-silent"), beats.get(f"{sender}-answered")
            if silent and silent >= since and (answered is None or answered < silent):
                raise ServiceUnavailable(f"{words} did not answer at {silent:%H:%M} UTC, nor since.")
