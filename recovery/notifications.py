"""Staff notifications: the in-app bell, and the outbox that e-mails each one at least once.

A notification row is written in the same transaction as the event that causes it,
so a report is never stored without its notification, even when the broker is down;
the e-mail carries no health detail, only a link.
"""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinics.models import Membership, Role
from messaging import delivery, handoff
from messaging.reach import REACHED, Reach
from messaging.retries import next_attempt
from treatments.models import TreatmentSession

from .findings import Finding, Named
from .models import Notification, NotificationKind, ReactionReport

log = logging.getLogger(__name__)


def _members(session: TreatmentSession):
    return Membership.objects.filter(clinic_id=session.clinic_id, user__is_active=True)


def _recipients(session: TreatmentSession) -> list:
    """The practitioner, if still an active member of the clinic, and the clinic's managers."""
    members = _members(session)
    managers = set(members.filter(role=Role.MANAGER).values_list("user_id", flat=True))
    practitioner = set(members.filter(user_id=session.practitioner_id).values_list("user_id", flat=True))
    return sorted(managers | practitioner, key=str)


def active_staff_by_clinic(clinic_ids) -> dict:
    """Each clinic's active members as (user id, role), in one query, for telling many sessions at once."""
    staff: dict = {}
    for clinic_id, user_id, role in Membership.objects.filter(
        clinic_id__in=clinic_ids, user__is_active=True
    ).values_list("clinic_id", "user_id", "role"):
        staff.setdefault(clinic_id, []).append((user_id, role))
    return staff


def practitioner_or_managers(*, practitioner_id, staff: list) -> list:
    """Whom the sweep tells: the practitioner, or the clinic's managers if the practitioner has left."""
    practitioner = [user_id for user_id, _role in staff if user_id == practitioner_id]
    return practitioner or [user_id for user_id, role in staff if role == Role.MANAGER]


def managers_of(session: TreatmentSession) -> list:
    return list(_members(session).filter(role=Role.MANAGER).values_list("user_id", flat=True))


def notify_alarms(*, report: ReactionReport, alarms: list[Finding], event_key: str = "") -> None:
    """In the report's own transaction: what the report raised needs a clinician now, so the
    practitioner and the clinic's managers hear of it at once, not at the next sweep."""
    session = report.session
    flags = [
        Named(a.question.staff_label, a.question.staff_label_fr).stored()
        for a in report.red_flag_answers.select_related("question")
        if a.present
    ]
    if flags:
        kind, params = NotificationKind.RED_FLAG, {"flags": flags}
    else:
        kind = NotificationKind.NEEDS_ATTENTION
        params = {"reasons": [{"code": f.code, "params": dict(f.params)} for f in alarms]}
    event_key = event_key or f"attention:{report.pk}"
    notify(session=session, user_ids=_recipients(session), kind=kind, params=params, event_key=event_key)


def notify(*, session, user_ids, kind, event_key, params=None) -> None:
    """Write one notification per recipient and event, as a kind and its parameters (read in each
    reader's language: recovery.notification_words); the e-mails leave after commit."""
    notifications = [
        Notification(recipient_id=user_id, recovery_id=session.pk, kind=kind, params=params or {}, event_key=event_key)
        for user_id in user_ids
    ]
    # Ids of rows that already existed are handed over too: their claim makes the task a no-op.
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    handoff.after_commit(handoff.NOTIFICATION_DELIVERY, [n.pk for n in notifications])


def _sendable(now: datetime) -> Q:
    return (
        (Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=now))
        & (Q(email_retry_at__isnull=True) | Q(email_retry_at__lte=now))
        & Q(emailed_at__isnull=True, email_given_up_at__isnull=True)
    )


def notifications_pending_email(*, now: datetime | None = None) -> list:
    """E-mails still to send: not claimed, not waiting out a retry, and older than the moment
    their own commit handed them over."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(_sendable(now), created_at__lte=now - handoff.relay_grace()).values_list(
            "pk", flat=True
        )
    )


def notification_email(*, notification_id, base_url: str, now: datetime | None = None) -> bool:
    """E-mail one notification to its recipient, as a patient's message is sent: a failure that may
    pass is tried again with growing waits for SEND_RETRY_HOURS, a refusal for good (5xx) is final,
    and a message the mail server took without confirming is not sent again. A worker killed after
    the server accepted it sends it again once the claim lapses, with the same Message-ID.
    Returns whether this call sent it."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(_sendable(now), pk=notification_id).update(
        email_claimed_until=now + handoff.claim_lease(), email_attempts=F("email_attempts") + 1
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient", "recovery__session__clinic").get(pk=notification_id)
    clinic = notification.recovery.session.clinic
    if not notification.recipient.email:
        Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now(), email_claimed_until=None)
        return True
    # In the language the recipient chose for their pages, or else their clinic's.
    with translation.override(notification.recipient.language or clinic.language):
        attempt = delivery.email_attempt(
            EmailMessage(
                subject=_("Recovery Desk: a patient of %(clinic)s needs you") % {"clinic": clinic.name},
                body=render_to_string(
                    "recovery/staff_notification_email.txt",
                    {"clinic": clinic, "link": base_url.rstrip("/") + reverse("recovery:notifications")},
                ),
                to=[notification.recipient.email],
                headers={"Message-ID": handoff.message_id("notification", notification.pk)},
            )
        )
    changes: dict = {"email_claimed_until": None, "email_result": attempt.result}
    if attempt.result in REACHED:
        changes["emailed_at"] = timezone.now()
    elif attempt.result:
        changes["email_given_up_at"] = timezone.now()
        log.error(
            "Notification %s: the e-mail was refused and is not tried again: %s", notification_id, attempt.refusal
        )
    else:
        retry_at = next_attempt(
            attempts=notification.email_attempts,
            now=timezone.now(),
            due_at=notification.created_at,
            zone=None,
            retry_after=attempt.retry_after,
        )
        if retry_at is None:
            changes.update(email_result=Reach.NO_ANSWER, email_given_up_at=timezone.now())
            log.error("Notification %s: the e-mail could not be sent in time; given up", notification_id)
        else:
            changes["email_retry_at"] = retry_at
    Notification.objects.filter(pk=notification_id).update(**changes)
    return attempt.result in REACHED


def notifications_mark_read(*, user, notification_id: str | None = None) -> int:
    """Mark one of the user's notifications read, or all of them when no id is given."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id:
        try:
            return unread.filter(pk=notification_id).update(read_at=timezone.now())
        except ValidationError:
            return 0
    return unread.update(read_at=timezone.now())
