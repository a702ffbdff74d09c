"""What a session's patient is sent, and when: the check-ins planned at the clinic's hours, and the
recovery guide. Planned here, where the rules read them (a check-in sent and unanswered is missed);
the checkins app sends them and shows the patient's pages."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from messaging import handoff
from treatments.models import TreatmentSession

from .models import CheckIn, CheckInStatus, GuideMessage, ReactionType
from .windows import wall_clock_days_after


def check_ins_plan(*, session: TreatmentSession, now: datetime | None = None) -> list[CheckIn]:
    """Plan the clinic's check-ins for a consenting patient; moments already past are skipped.

    Awaited check-ins hold a recovery's resolution: the caller assesses the recovery after.
    """
    if session.patient.consents_to_check_ins:
        now = now or timezone.now()
        moments = [check_in_moment(session, day) for day in sorted(session.clinic.check_in_days)]
        CheckIn.objects.bulk_create(
            [CheckIn(session=session, due_at=due_at) for due_at in moments if due_at > now], ignore_conflicts=True
        )
    return list(session.check_ins.all())


def check_in_moment(session: TreatmentSession, day: int) -> datetime:
    """`day` days after the session at the same wall-clock time at the clinic, moved into
    daytime: nobody gets a message about their skin in the middle of the night."""
    zone = session.clinic.zone
    # Day N as the rules count it (recovery.windows), so an answer to this check-in is on day N.
    wall_clock = wall_clock_days_after(session.performed_at, day, zone).astimezone(zone).replace(tzinfo=None)
    if wall_clock.hour < settings.CHECK_IN_EARLIEST_HOUR:
        wall_clock = wall_clock.replace(hour=settings.CHECK_IN_EARLIEST_HOUR, minute=0)
    elif wall_clock.hour >= settings.CHECK_IN_LATEST_HOUR:
        wall_clock = (wall_clock + timedelta(days=1)).replace(hour=settings.CHECK_IN_EARLIEST_HOUR, minute=0)
    return timezone.make_aware(wall_clock, zone)


def guide_useful_until(session: TreatmentSession) -> datetime:
    """Until the last check-in, and while a reaction the guide describes may still be within its window."""
    longest = ReactionType.objects.filter(clinic_id=session.clinic_id).aggregate(hours=Max("fades_by_hours"))["hours"]
    moments = (
        session.check_ins.exclude(status=CheckInStatus.CANCELLED)
        .aggregate(due=Max("due_at"), sent=Max("sent_at"))
        .values()
    )
    return max([session.performed_at + timedelta(hours=longest or 0), *(moment for moment in moments if moment)])


def guide_plan(*, session: TreatmentSession, now: datetime | None = None) -> GuideMessage | None:
    """Send the guide of a session just logged, to a patient who consents to messages, unless the
    session was logged so late that the guide has nothing left to tell. After its check-ins are
    planned: the guide lists them and stays open until the last."""
    now = now or timezone.now()
    if not session.patient.consents_to_check_ins or now >= guide_useful_until(session):
        return None
    message = GuideMessage.objects.create(session=session, created_at=now)
    handoff.after_commit(handoff.GUIDE_SEND, [message.pk])
    return message
