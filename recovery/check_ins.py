"""Writes for following the patient home: check-ins, the patient's answers, staff notifications.

Kept apart from `services.py` (reports, follow-ups, the catalogue) because these
are the writes that talk to the outside world through Celery, e-mail and text
messages. Every outside effect is claimed first with a conditional update, so a
task that runs twice, or in two workers, acts once.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from clinics.models import Membership, Role
from treatments.models import TreatmentSession

from . import services
from .models import CheckIn, CheckInStatus, Notification, NotificationKind, ReactionReport, Recovery, ReportSource
from .rules import MISSED_CHECK_IN_AFTER, Status

log = logging.getLogger(__name__)

LINK_SALT = "recovery.check-in-link"
MAX_EMAIL_ATTEMPTS = 5
MAX_SEND_ATTEMPTS = 5


NO_CONSENT_TO_SEND = _lazy("The patient has not consented to check-in messages.")
ALREADY_ON_ITS_WAY = _lazy("A check-in was sent to the patient a few minutes ago.")


class InvalidLink(Exception):
    """The link was not made by us, or was altered."""


class ClosedLink(Exception):
    """A genuine link that can no longer be used: expired or already answered."""

    def __init__(self, check_in: CheckIn, *, answered: bool):
        super().__init__(check_in.pk)
        self.check_in = check_in
        self.answered = answered


def check_ins_plan(*, session: TreatmentSession, now: datetime | None = None) -> list[CheckIn]:
    """Plan the clinic's check-ins for a consenting patient; moments already past are skipped."""
    if session.patient.consents_to_check_ins:
        now = now or timezone.now()
        moments = [check_in_moment(session, day) for day in sorted(session.clinic.check_in_days)]
        CheckIn.objects.bulk_create(
            [CheckIn(session=session, due_at=due_at) for due_at in moments if due_at > now], ignore_conflicts=True
        )
    # Unanswered check-ins become findings of their own: the stored deadlines must know them.
    services.recovery_assess(recovery=Recovery.objects.get_or_create(session=session)[0])
    return list(session.check_ins.all())


def check_in_moment(session: TreatmentSession, day: int) -> datetime:
    """`day` days after the session at the same wall-clock time at the clinic, moved into
    daytime: nobody gets a message about their skin in the middle of the night."""
    zone = session.clinic.zone
    local = timezone.localtime(session.performed_at, zone)
    wall_clock = datetime.combine(local.date() + timedelta(days=day), local.time().replace(tzinfo=None))
    if wall_clock.hour < settings.CHECK_IN_EARLIEST_HOUR:
        wall_clock = wall_clock.replace(hour=settings.CHECK_IN_EARLIEST_HOUR, minute=0)
    elif wall_clock.hour >= settings.CHECK_IN_LATEST_HOUR:
        wall_clock = (wall_clock + timedelta(days=1)).replace(hour=settings.CHECK_IN_EARLIEST_HOUR, minute=0)
    return timezone.make_aware(wall_clock, zone)


def link_path(check_in: CheckIn) -> str:
    token = signing.dumps(str(check_in.pk), salt=LINK_SALT)
    return reverse("recovery:check_in", args=[check_in.session.clinic_id, token])


def relay_grace() -> timedelta:
    """Rows younger than this were just handed to the broker by their own transaction."""
    return timedelta(seconds=settings.RELAY_GRACE_SECONDS)


def claim_lease() -> timedelta:
    """How long a claim holds: after it, a send that a killed worker left unfinished is taken again."""
    return timedelta(seconds=settings.CLAIM_LEASE_SECONDS)


def link_lifetime() -> timedelta:
    return timedelta(hours=settings.CHECK_IN_LINK_HOURS)


def check_in_from_link(*, clinic_id, token: str, now: datetime | None = None) -> CheckIn:
    """The check-in a link opens, or why it cannot be used.

    The link is signed, so an altered or invented one is refused before any
    lookup; it expires a while after it was sent.
    """
    try:
        check_in_id = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature as error:
        raise InvalidLink from error
    check_in = CheckIn.objects.select_related("session__clinic", "session__patient").filter(pk=check_in_id).first()
    if check_in is None or str(check_in.session.clinic_id) != str(clinic_id):
        raise InvalidLink
    sent_at = check_in.sent_at or check_in.due_at
    # Expiry comes first: an old link, answered or not, shows nothing of the answers.
    if (now or timezone.now()) > sent_at + link_lifetime():
        raise ClosedLink(check_in, answered=False)
    if check_in.status == CheckInStatus.ANSWERED:
        raise ClosedLink(check_in, answered=True)
    return check_in


def check_ins_due(*, now: datetime | None = None) -> list:
    now = now or timezone.now()
    return list(
        CheckIn.objects.filter(
            Q(status=CheckInStatus.PLANNED) | Q(status=CheckInStatus.SENDING, claimed_until__lt=now),
            due_at__lte=now,
        ).values_list("pk", flat=True)
    )


def _claim_check_in(check_in_id, now: datetime) -> bool:
    return bool(
        CheckIn.objects.filter(
            Q(status=CheckInStatus.PLANNED) | Q(status=CheckInStatus.SENDING, claimed_until__lt=now), pk=check_in_id
        ).update(status=CheckInStatus.SENDING, claimed_until=now + claim_lease(), send_attempts=F("send_attempts") + 1)
    )


def check_in_send(*, check_in_id, base_url: str, now: datetime | None = None) -> bool:
    """Send one check-in by e-mail and text message, each once. Returns whether it is now sent.

    The message names the clinic and carries the link; never a health detail. A
    channel that fails is tried again by the next beat, up to MAX_SEND_ATTEMPTS,
    without sending the other channel twice; then the check-in is marked failed
    for staff to see.
    """
    now = now or timezone.now()
    if not _claim_check_in(check_in_id, now):
        return False
    check_in = CheckIn.objects.select_related("session__clinic", "session__patient").get(pk=check_in_id)
    patient, clinic = check_in.session.patient, check_in.session.clinic
    if not patient.consents_to_check_ins:
        CheckIn.objects.filter(pk=check_in_id).update(status=CheckInStatus.CANCELLED, claimed_until=None)
        # Never asked, so no longer awaited: the recovery may now be resolved by its reports.
        _reassess(check_in)
        return False
    context = {"clinic": clinic, "link": base_url.rstrip("/") + link_path(check_in)}
    failed = False
    if patient.email and check_in.emailed_at is None:
        try:
            send_mail(
                subject=_("%(clinic)s: how are you feeling?") % {"clinic": clinic.name},
                message=render_to_string("recovery/check_in_message.txt", context),
                from_email=None,
                recipient_list=[patient.email],
            )
            CheckIn.objects.filter(pk=check_in_id).update(emailed_at=timezone.now())
        except Exception:
            log.exception("Check-in %s: the e-mail could not be sent", check_in_id)
            failed = True
    if patient.phone and check_in.texted_at is None:
        try:
            text_message_backend().send(to=patient.phone, body=render_to_string("recovery/check_in_sms.txt", context))
            CheckIn.objects.filter(pk=check_in_id).update(texted_at=timezone.now())
        except Exception:
            log.exception("Check-in %s: the text message could not be sent", check_in_id)
            failed = True
    if failed:
        gave_up = check_in.send_attempts >= MAX_SEND_ATTEMPTS
        CheckIn.objects.filter(pk=check_in_id, status=CheckInStatus.SENDING).update(
            status=CheckInStatus.FAILED if gave_up else CheckInStatus.PLANNED, claimed_until=None
        )
        # A channel that went out asked the patient: the missed-answer clock runs from it.
        _reassess(check_in)
        if gave_up:
            log.error("Check-in %s could not be sent after %s attempts", check_in_id, check_in.send_attempts)
        return False
    CheckIn.objects.filter(pk=check_in_id, status=CheckInStatus.SENDING).update(
        status=CheckInStatus.SENT, sent_at=timezone.now(), claimed_until=None
    )
    # The 24 h within which an answer is expected start now: the stored deadline must know it.
    _reassess(check_in)
    return True


def _reassess(check_in: CheckIn) -> None:
    services.recovery_assess(recovery=Recovery.objects.get_or_create(session_id=check_in.session_id)[0])


# Two taps on "Send now" within this time send one check-in.
SEND_NOW_DEBOUNCE = timedelta(minutes=5)


def check_in_send_now(*, session: TreatmentSession, now: datetime | None = None) -> CheckIn:
    """Staff send the patient an extra check-in now, e.g. when the patient calls; the
    planned ones stay as they are, so the patient loses none of the schedule."""
    now = now or timezone.now()
    if not session.patient.consents_to_check_ins:
        raise ValidationError(str(NO_CONSENT_TO_SEND))
    with transaction.atomic():
        # Locked, so two taps arriving together are serialised and the second sees the first.
        recovery = Recovery.objects.get_or_create(session=session)[0]
        Recovery.objects.select_for_update().filter(pk=recovery.pk).first()
        recent = CheckIn.objects.filter(session=session, due_at__gt=now - SEND_NOW_DEBOUNCE, due_at__lte=now)
        if recent.exclude(status__in=[CheckInStatus.FAILED, CheckInStatus.CANCELLED]).exists():
            raise ValidationError(str(ALREADY_ON_ITS_WAY))
        check_in = CheckIn.objects.create(session=session, due_at=now)
        services.recovery_assess(recovery=recovery)
        transaction.on_commit(lambda: enqueue_check_in(check_in.pk))
    return check_in


def enqueue_check_in(check_in_id) -> None:
    """Hand the send to the broker now; if it is down, the next beat finds the check-in due."""
    from .tasks import send_check_in

    try:
        send_check_in.delay(str(check_in_id))
    except Exception:  # kombu raises transport-specific errors; the row stays planned either way.
        log.warning("Broker unavailable; check-in %s will be sent by the next beat", check_in_id)


def text_message_backend():
    return import_string(settings.TEXT_MESSAGE_BACKEND)()


@dataclass(frozen=True)
class Answer:
    report: ReactionReport
    stored_now: bool


@transaction.atomic
def check_in_answer(
    *, check_in: CheckIn, reactions, red_flags_present, red_flags_asked, wants_call: bool, note: str
) -> Answer:
    """Store the patient's report once: a double tap or a replay finds it already there.

    The check-in row is locked, so two submissions arriving together are
    serialised and the second sees the first's answer.
    """
    locked = CheckIn.objects.select_for_update(of=("self",)).get(pk=check_in.pk)
    if locked.report_id is not None:
        return Answer(report=locked.report, stored_now=False)
    now = timezone.now()
    # Marked answered first, so that the assessment report_create makes already knows it.
    locked.answered_at = now
    locked.status = CheckInStatus.ANSWERED
    locked.save(update_fields=["answered_at", "status"])
    report = services.report_create(
        session=check_in.session,
        reported_at=now,
        reactions=reactions,
        red_flags_present=red_flags_present,
        red_flags_asked=red_flags_asked,
        wants_call=wants_call,
        note=note,
        source=ReportSource.PATIENT,
    )
    locked.report = report
    locked.save(update_fields=["report"])
    return Answer(report=report, stored_now=True)


def _members(session: TreatmentSession):
    return Membership.objects.filter(clinic_id=session.clinic_id, user__is_active=True)


def _recipients(session: TreatmentSession) -> list:
    """The practitioner, if still an active member of the clinic, and the clinic's managers."""
    members = _members(session)
    managers = set(members.filter(role=Role.MANAGER).values_list("user_id", flat=True))
    practitioner = set(members.filter(user_id=session.practitioner_id).values_list("user_id", flat=True))
    return sorted(managers | practitioner, key=str)


def _practitioner_or_managers(session: TreatmentSession) -> list:
    """Whom the sweep tells: the practitioner, or the managers if the practitioner has left."""
    members = _members(session)
    practitioner = list(members.filter(user_id=session.practitioner_id).values_list("user_id", flat=True))
    return practitioner or list(members.filter(role=Role.MANAGER).values_list("user_id", flat=True))


def notify_alarms(*, report: ReactionReport, reasons: list[str]) -> None:
    """In the report's own transaction: what the report raised needs a clinician now, so the
    practitioner and the clinic's managers hear of it at once, not at the next sweep."""
    session = report.session
    flags = [a.question.staff_label for a in report.red_flag_answers.select_related("question") if a.present]
    if flags:
        kind = NotificationKind.RED_FLAG
        text = _("Red flag for %(patient)s: %(flags)s") % {
            "patient": session.patient.full_name,
            "flags": ", ".join(flags),
        }
    else:
        kind = NotificationKind.NEEDS_ATTENTION
        text = _("%(patient)s needs attention: %(reasons)s") % {
            "patient": session.patient.full_name,
            "reasons": "; ".join(reasons),
        }
    _notify(session=session, user_ids=_recipients(session), kind=kind, text=text, event_key=f"attention:{report.pk}")


def notify_batch_clusters(*, report: ReactionReport, now: datetime | None = None) -> None:
    """Point out to managers a batch whose patients report complications close together.

    In the report's own transaction. Told once per batch: the managers then decide, and
    a quarantined batch is no longer counted.
    """
    from audits.selectors import clustered_batch_ids

    now = now or timezone.now()
    session = report.session
    batch_ids = {str(pk) for pk in session.products_used.values_list("batch_id", flat=True)}
    clustered = batch_ids & clustered_batch_ids(
        clinic_ids=[session.clinic_id],
        now=now,
        threshold=settings.BATCH_CLUSTER_COMPLICATIONS,
        days=settings.BATCH_CLUSTER_DAYS,
    )
    managers = list(_members(session).filter(role=Role.MANAGER).values_list("user_id", flat=True))
    for use in session.products_used.select_related("batch__product").filter(batch_id__in=clustered):
        batch = use.batch
        _notify(
            session=session,
            user_ids=managers,
            kind=NotificationKind.BATCH_CLUSTER,
            text=_("%(product)s lot %(lot)s: %(count)s or more patient-reported complications within %(days)s days")
            % {
                "product": batch.product.name,
                "lot": batch.lot_number,
                "count": settings.BATCH_CLUSTER_COMPLICATIONS,
                "days": settings.BATCH_CLUSTER_DAYS,
            },
            event_key=f"batch_cluster:{batch.pk}",
        )


def _notify(*, session, user_ids, kind, text, event_key) -> None:
    notifications = [
        Notification(recipient_id=user_id, recovery_id=session.pk, kind=kind, text=text[:300], event_key=event_key)
        for user_id in user_ids
    ]
    # Ids of rows that already existed are handed over too: their claim makes the task a no-op.
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    ids = [str(n.pk) for n in notifications]
    transaction.on_commit(lambda: enqueue_emails(ids))


def enqueue_emails(notification_ids) -> None:
    """Hand these notifications' e-mails to the broker; if it is down, the relay sends them later."""
    from .tasks import deliver_notification

    for notification_id in notification_ids:
        try:
            deliver_notification.delay(notification_id)
        except Exception:  # kombu raises transport-specific errors; the row stays pending either way.
            log.warning("Broker unavailable; notification %s will be relayed later", notification_id)
            return


def notifications_pending_email(*, now: datetime | None = None) -> list:
    """E-mails still to send: not claimed, and older than the moment their own commit handed them over."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=now),
            emailed_at__isnull=True,
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
            created_at__lte=now - relay_grace(),
        ).values_list("pk", flat=True)
    )


def notification_email(*, notification_id, base_url: str, now: datetime | None = None) -> bool:
    """E-mail one notification to its recipient, once. Returns whether this call sent it."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=now),
        pk=notification_id,
        emailed_at__isnull=True,
    ).update(email_claimed_until=now + claim_lease(), email_attempts=F("email_attempts") + 1)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient", "recovery__session__clinic").get(pk=notification_id)
    if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
        log.error("Notification %s: last e-mail attempt (%s)", notification_id, notification.email_attempts)
    clinic = notification.recovery.session.clinic
    if notification.recipient.email:
        send_mail(
            subject=_("Recovery Desk: a patient of %(clinic)s needs you") % {"clinic": clinic.name},
            message=render_to_string(
                "recovery/staff_notification_email.txt",
                {
                    "clinic": clinic,
                    "link": base_url.rstrip("/") + reverse("recovery:notifications"),
                },
            ),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now(), email_claimed_until=None)
    return True


def sweep(*, now: datetime | None = None) -> None:
    """Mark missed check-ins and tell practitioners about new transitions, once each.

    It reads the moments the engine stored; it never decides a status itself. Each
    mark is written with its notification, so a worker dying in between loses neither.
    """
    now = now or timezone.now()
    missed = CheckIn.objects.filter(
        status=CheckInStatus.SENT, answered_at__isnull=True, sent_at__lt=now - MISSED_CHECK_IN_AFTER
    )
    for check_in in missed.select_related("session__patient", "session__clinic"):
        with transaction.atomic():
            if not CheckIn.objects.filter(pk=check_in.pk, status=CheckInStatus.SENT).update(
                status=CheckInStatus.MISSED
            ):
                continue
            session = check_in.session
            _notify(
                session=session,
                user_ids=_practitioner_or_managers(session),
                kind=NotificationKind.MISSED_CHECK_IN,
                text=_("%(patient)s did not answer the check-in sent %(sent)s")
                % {
                    "patient": session.patient.full_name,
                    "sent": date_format(timezone.localtime(check_in.sent_at, session.clinic.zone), "j M H:i"),
                },
                event_key=f"missed:{check_in.pk}",
            )
    open_recoveries = (
        Recovery.objects.with_status(now)
        .filter(status__in=[Status.NEEDS_ATTENTION, Status.OVERDUE], followed_up=False)
        .select_related("session__patient")
    )
    for recovery in open_recoveries:
        if recovery.status == Status.NEEDS_ATTENTION:
            kind, since = NotificationKind.NEEDS_ATTENTION, recovery.unacknowledged_at
            already_told = Notification.objects.filter(
                recovery=recovery,
                kind__in=[NotificationKind.RED_FLAG, NotificationKind.NEEDS_ATTENTION],
                created_at__gte=since,
            ).exists()
            if already_told:
                continue
            text = _("%(patient)s needs attention") % {"patient": recovery.session.patient.full_name}
        else:
            kind, since = NotificationKind.OVERDUE, recovery.overdue_at
            text = _("%(patient)s's recovery is overdue") % {"patient": recovery.session.patient.full_name}
        with transaction.atomic():
            _notify(
                session=recovery.session,
                user_ids=_practitioner_or_managers(recovery.session),
                kind=kind,
                text=text,
                event_key=f"{kind}:{recovery.pk}:{since.isoformat()}",
            )
