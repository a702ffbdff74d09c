"""What managers record of a serious event: a report sent, or the judgement that it need not be; and
the reminder that tells them, once, when neither came in time.

Each locks the event's row first, so that a report recorded while the reminder runs is either seen
by it or comes after it, never half of each."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.limits import NOTE_MAX_LENGTH
from recovery.models import Complication, NotificationKind
from recovery.notifications import managers_of, notify

from .deadlines import deadline_of
from .models import NotReportable, Recipient, ReportReminder, Submission
from .selectors import is_open, unreported_without_reminder

SENT_IN_FUTURE = _("A report cannot be sent after today: give the day it was sent.")
SENT_BEFORE_EVENT = _("A report cannot be sent before the event began (%(day)s).")
UNKNOWN_RECIPIENT = _("Choose whom the report was sent to from the list.")
REFERENCE_TOO_LONG = _("A reference has at most 100 characters.")
REASON_NEEDED = _("Say why this event need not be reported.")
REASON_TOO_LONG = _("Give the reason in at most %(count)s characters.")
ALREADY_REPORTED = _("This event was reported: it cannot be judged not reportable.")
ALREADY_JUDGED = _("This event was already judged not reportable.")
REFERENCE_MAX_LENGTH = Submission._meta.get_field("reference").max_length


def _locked(complication: Complication) -> Complication:
    return (
        Complication.objects.select_for_update(of=("self",))
        .select_related("recovery__clinic", "recovery__session")
        .get(pk=complication.pk)
    )


@transaction.atomic
def submission_record(
    *, complication: Complication, recipient: str, sent_on: date, reference: str = "", recorded_by, now=None
) -> Submission:
    now = now or timezone.now()
    complication = _locked(complication)
    zone = complication.recovery.clinic.zone
    reference = reference.strip()
    began_on = timezone.localtime(complication.onset_at, zone).date()
    errors: dict[str, list[str]] = {}
    if recipient not in Recipient.values:
        errors["recipient"] = [str(UNKNOWN_RECIPIENT)]
    if sent_on > timezone.localtime(now, zone).date():
        errors["sent_on"] = [str(SENT_IN_FUTURE)]
    elif sent_on < began_on:
        errors["sent_on"] = [str(SENT_BEFORE_EVENT % {"day": began_on.isoformat()})]
    if len(reference) > REFERENCE_MAX_LENGTH:
        errors["reference"] = [str(REFERENCE_TOO_LONG)]
    if errors:
        raise ValidationError(errors)
    return Submission.objects.create(
        complication=complication,
        recipient=recipient,
        sent_on=sent_on,
        reference=reference,
        recorded_by=recorded_by,
        recorded_at=now,
    )


@transaction.atomic
def not_reportable_judge(*, complication: Complication, reason: str, judged_by, now=None) -> NotReportable:
    complication = _locked(complication)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [str(REASON_NEEDED)]})
    if len(reason) > NOTE_MAX_LENGTH:
        raise ValidationError({"reason": [str(REASON_TOO_LONG % {"count": NOTE_MAX_LENGTH})]})
    if Submission.objects.filter(complication=complication).exists():
        raise ValidationError(ALREADY_REPORTED)
    if NotReportable.objects.filter(complication=complication).exists():
        raise ValidationError(ALREADY_JUDGED)
    return NotReportable.objects.create(
        complication=complication, reason=reason, judged_by=judged_by, judged_at=now or timezone.now()
    )


def late_reports_remind(*, now: datetime | None = None) -> int:
    """Tell the managers of each serious event past its deadline, neither reported nor judged, once.

    Safe to run twice or at once: the reminder's row is written with the notification, in one
    transaction, and only one of two sweeps can write it. Returns how many events were told of.
    """
    now = now or timezone.now()
    told = 0
    for candidate in unreported_without_reminder(now=now):
        deadline = deadline_of(clinic=candidate.recovery.clinic, complication=candidate)
        if now >= deadline.late_at and _remind(complication=candidate, last_day=deadline.last_day, now=now):
            told += 1
    return told


@transaction.atomic
def _remind(*, complication: Complication, last_day: date, now: datetime) -> bool:
    complication = _locked(complication)
    if not is_open(complication):
        return False
    _reminder, created = ReportReminder.objects.get_or_create(complication=complication, defaults={"sent_at": now})
    if not created:
        return False
    session = complication.recovery.session
    notify(
        session=session,
        user_ids=managers_of(session),
        kind=NotificationKind.REPORT_LATE,
        params={
            "complication_type": complication.complication_type,
            "confirmed": timezone.localtime(complication.recorded_at, complication.recovery.clinic.zone)
            .date()
            .isoformat(),
            "last_day": last_day.isoformat(),
        },
        event_key=f"report_late:{complication.pk}",
    )
    return True
