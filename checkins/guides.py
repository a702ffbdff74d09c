"""The recovery guide: a page the patient keeps through their recovery, and the messages that bring its link.

Right after a session is logged, a patient who consents to messages is sent a link to a page
that tells them what is normal and for how long, the aftercare they were given, the red flags
and whom to call for each, and when the check-ins will come. The link follows the check-in
link's rules: signed, refused when altered or opened under another clinic's address, closed
after a while with the clinic's number. The message names the clinic and carries the link;
never a health detail.

Sending works as check-ins do: a row per message, written in the transaction that asks for it,
claimed with a conditional update and a lease, handed to a worker after commit and relayed by
beat when the broker was down; at least once, with a Message-ID and idempotency key of its row.
"""

import logging
from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from messaging import delivery, handoff
from messaging.reach import reach_problems
from recovery.models import GuideMessage, GuideStatus, Recovery
from recovery.schedule import guide_useful_until
from treatments.models import TreatmentSession

from . import outbox
from . import services as check_ins
from .services import InvalidLink

log = logging.getLogger(__name__)

LINK_SALT = "recovery.guide-link"
ALREADY_SENT = gettext_lazy("The guide was sent to the patient a few minutes ago.")


class ClosedGuide(Exception):
    """A genuine guide link whose time is over."""

    def __init__(self, session: TreatmentSession):
        super().__init__(session.pk)
        self.session = session


def link_path(session: TreatmentSession) -> str:
    """One link per session, the same in every message and on every attempt: a repeat is then the
    same message, which the text provider's idempotency key recognises only when the body is
    identical. How long the link opens is decided by the rows, not carried in it."""
    token = signing.Signer(salt=LINK_SALT).sign_object(str(session.pk))
    return reverse("checkins:guide", args=[session.clinic_id, token])


def message_link_path(session: TreatmentSession) -> str:
    """The link every message about the session carries, the same on every attempt: a short one
    (/g/<code>, the code of the session's first message), which keeps the text to one segment and
    leads to the page; the page's own link for a session whose guide was first sent without a code."""
    first = session.guide_messages.order_by("created_at", "pk").values_list("code", flat=True).first()
    if first:
        return reverse("checkins:guide_code", args=[first])
    return link_path(session)


def guide_open_until(session: TreatmentSession, *, last_went_out_at: datetime) -> datetime:
    """The guide is read through the whole recovery, not only the day it arrives: it stays open
    while it is useful and then, like a check-in link after it is sent, for CHECK_IN_LINK_HOURS
    more, so the last check-in's questions and the guide close together. A message sent later
    (staff sending it again) keeps it open for as long after that message."""
    return max(guide_useful_until(session), last_went_out_at) + check_ins.link_lifetime()


def guide_from_link(*, clinic_id, token: str, now: datetime | None = None) -> TreatmentSession:
    """The session whose guide a link opens, or why it cannot be used.

    Signed, so an altered or invented link is refused before any lookup; a session whose guide
    never left has no link to open, and a link past its time is closed. Consent is to messages:
    a guide already delivered stays readable after it is withdrawn, as its red flags stay true.
    """
    try:
        session_id = signing.Signer(salt=LINK_SALT).unsign_object(token)
    except signing.BadSignature:
        # Not chained: the signature error quotes the signature, which must not reach a log.
        raise InvalidLink from None
    session = TreatmentSession.objects.select_related("clinic", "patient__clinic").filter(pk=session_id).first()
    if session is None or str(session.clinic_id) != str(clinic_id):
        raise InvalidLink
    went_out = [
        moment
        for channels in session.guide_messages.values_list("emailed_at", "texted_at")
        for moment in channels
        if moment
    ]
    if not went_out:
        raise InvalidLink
    if (now or timezone.now()) > guide_open_until(session, last_went_out_at=max(went_out)):
        raise ClosedGuide(session)
    return session


def guide_send_again(*, session: TreatmentSession, requested_by, now: datetime | None = None) -> GuideMessage:
    """Staff send the guide again, e.g. when the patient has lost the message. A new message with
    an id of its own, so mail clients do not fold it into the first; the link is the same page."""
    if not session.patient.consents_to_check_ins:
        raise ValidationError(str(check_ins.NO_CONSENT_TO_SEND))
    with transaction.atomic():
        # Locked, so two taps arriving together are serialised and the second sees the first.
        recovery = Recovery.objects.open_for(session)
        Recovery.objects.select_for_update().filter(pk=recovery.pk).first()
        now = now or timezone.now()
        recent = GuideMessage.objects.filter(session=session, created_at__gt=now - check_ins.SEND_NOW_DEBOUNCE)
        if recent.exclude(status__in=[GuideStatus.FAILED, GuideStatus.CANCELLED]).exists():
            raise ValidationError(str(ALREADY_SENT))
        message = GuideMessage.objects.create(session=session, requested_by=requested_by, created_at=now)
        handoff.after_commit(handoff.GUIDE_SEND, [message.pk])
    return message


def guides_pending(*, now: datetime | None = None) -> list:
    """Guides to hand to a worker: waiting longer than their own commit's hand-over and not waiting
    out a retry, or left half-sent by a worker whose claim has lapsed."""
    now = now or timezone.now()
    return list(
        GuideMessage.objects.filter(_sendable(now), created_at__lte=now - handoff.relay_grace()).values_list(
            "pk", flat=True
        )
    )


def _sendable(now: datetime) -> Q:
    waited = Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    return Q(status=GuideStatus.PENDING) & waited | Q(status=GuideStatus.SENDING, claimed_until__lt=now)


STATUSES = outbox.Statuses(waiting=GuideStatus.PENDING, sent=GuideStatus.SENT, failed=GuideStatus.FAILED)


def _claim(message_id, now: datetime) -> bool:
    return bool(
        GuideMessage.objects.filter(_sendable(now), pk=message_id).update(
            status=GuideStatus.SENDING,
            claimed_until=now + handoff.claim_lease(),
            send_attempts=F("send_attempts") + 1,
        )
    )


def guide_send(*, guide_message_id, base_url: str, now: datetime | None = None) -> bool:
    """Send one guide message by e-mail and text message, each at least once. Returns whether it is now sent.

    A patient who withdrew consent since it was asked for gets nothing. Failures are retried and
    given up as a check-in's are (recovery.outbox): a guide that reached nobody puts the patient
    on the work queue as not reached.
    """
    now = now or timezone.now()
    if not _claim(guide_message_id, now):
        return False
    message = GuideMessage.objects.select_related("session__clinic", "session__patient__clinic").get(
        pk=guide_message_id
    )
    patient, clinic = message.session.patient, message.session.clinic
    if not patient.consents_to_check_ins:
        GuideMessage.objects.filter(pk=guide_message_id).update(status=GuideStatus.CANCELLED, claimed_until=None)
        return False
    outcome = delivery.deliver(
        row=message,
        kind="guide",
        what="Guide",
        subject=gettext_lazy("%(clinic)s: your recovery guide"),
        templates=("checkins/guide_message.txt", "checkins/guide_sms.txt"),
        context={"clinic": clinic, "link": base_url.rstrip("/") + message_link_path(message.session)},
    )
    status = outbox.attempt_settle(
        row=message, delivery=outcome, due_at=message.created_at, now=timezone.now(), statuses=STATUSES
    )
    if status == GuideStatus.FAILED:
        problems = reach_problems(email=message.email_result, text=message.text_result)
        log.error("Guide %s given up after %s attempts: %s", message.pk, message.send_attempts, problems)
    return status == GuideStatus.SENT
