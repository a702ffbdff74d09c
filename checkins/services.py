"""Following the patient home: planning check-ins, sending them, and storing the answers.

These are the writes that talk to the outside world through e-mail and text
messages. Every outside effect is claimed first with a conditional update, so a
task that runs twice, or in two workers, acts once; a worker killed between the
send and its record sends again, with the same Message-ID and idempotency key
(see messaging.handoff).
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from clinics.models import Clinic
from messaging import delivery, handoff
from messaging.reach import reach_problems
from recovery import services
from recovery.marks import MarkEntry
from recovery.models import CheckIn, CheckInStatus, ReactionReport, Recovery, ReportedReaction, ReportSource
from treatments.models import TreatmentSession

from . import outbox

log = logging.getLogger(__name__)

LINK_SALT = "recovery.check-in-link"
# Two taps on "Send now" within this time send one check-in.
SEND_NOW_DEBOUNCE = timedelta(minutes=5)

NO_CONSENT_TO_SEND = gettext_lazy("The patient has not consented to check-in messages.")
ALREADY_ON_ITS_WAY = gettext_lazy("A check-in was sent to the patient a few minutes ago.")
PHOTOS_NOT_KEPT = gettext_lazy("Your photos were not sent with your answers: you can add them below.")


class InvalidLink(Exception):
    """The link was not made by us, or was altered."""


class ClosedLink(Exception):
    """A genuine link that can no longer be used: expired or already answered."""

    def __init__(self, check_in: CheckIn, *, answered: bool):
        super().__init__(check_in.pk)
        self.check_in = check_in
        self.answered = answered


def link_path(check_in: CheckIn) -> str:
    """The check-in's page: a signed link, the same every time. Expiry comes from the row."""
    token = signing.Signer(salt=LINK_SALT).sign_object(str(check_in.pk))
    return reverse("checkins:check_in", args=[check_in.session.clinic_id, token])


def message_link_path(check_in: CheckIn) -> str:
    """The link a message carries, the same on every attempt, so that a message sent again is the
    same message: the provider's idempotency key holds only for an identical body.

    A short one (/c/<code>), which keeps a check-in text to one segment and leads to the page; a
    check-in without a code (planned before codes) carries the page's own link, as it always did."""
    if check_in.code:
        return reverse("checkins:check_in_code", args=[check_in.code])
    return link_path(check_in)


def _check_in_id_from(token: str) -> str:
    try:
        payload = signing.Signer(salt=LINK_SALT).unsign(token)
    except signing.BadSignature:
        # Not chained: the signature error quotes the signature, which must not reach a log.
        raise InvalidLink from None
    # Links sent before links were made the same on every attempt also carry the time they were
    # signed ("payload:timestamp"); like any link, their lifetime is decided by the row.
    payload = payload.split(signing.Signer().sep, 1)[0]
    return signing.JSONSerializer().loads(signing.b64_decode(payload.encode()))


def link_lifetime() -> timedelta:
    return timedelta(hours=settings.CHECK_IN_LINK_HOURS)


def check_in_from_link(*, clinic_id, token: str, now: datetime | None = None) -> CheckIn:
    """The check-in a link opens, or why it cannot be used.

    The link is signed, so an altered or invented one is refused before any
    lookup; it expires a while after it was sent.
    """
    check_in_id = _check_in_id_from(token)
    check_in = (
        CheckIn.objects.select_related("session__clinic", "session__patient__clinic").filter(pk=check_in_id).first()
    )
    if check_in is None or str(check_in.session.clinic_id) != str(clinic_id):
        raise InvalidLink
    sent_at = check_in.sent_at or check_in.due_at
    # Expiry comes first: an old link, answered or not, shows nothing of the answers.
    if (now or timezone.now()) > sent_at + link_lifetime():
        raise ClosedLink(check_in, answered=False)
    if check_in.status == CheckInStatus.ANSWERED:
        raise ClosedLink(check_in, answered=True)
    return check_in


def clinic_of_link(clinic_id) -> Clinic | None:
    """The clinic a link names, whatever is wrong with the rest of it."""
    try:
        return Clinic.objects.filter(pk=uuid.UUID(str(clinic_id))).first()
    except ValueError:
        return None


def check_ins_due(*, now: datetime | None = None) -> list:
    """Due, and not waiting out a retry; or left half-sent by a worker whose claim has lapsed."""
    now = now or timezone.now()
    return list(CheckIn.objects.filter(_sendable(now), due_at__lte=now).values_list("pk", flat=True))


def _sendable(now: datetime) -> Q:
    waited = Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    return Q(status=CheckInStatus.PLANNED) & waited | Q(status=CheckInStatus.SENDING, claimed_until__lt=now)


def _claim_check_in(check_in_id, now: datetime) -> bool:
    return bool(
        CheckIn.objects.filter(_sendable(now), pk=check_in_id).update(
            status=CheckInStatus.SENDING,
            claimed_until=now + handoff.claim_lease(),
            send_attempts=F("send_attempts") + 1,
        )
    )


STATUSES = outbox.Statuses(waiting=CheckInStatus.PLANNED, sent=CheckInStatus.SENT, failed=CheckInStatus.FAILED)


def check_in_send(*, check_in_id, base_url: str, now: datetime | None = None) -> bool:
    """Send one check-in by e-mail and text message, each at least once. Returns whether it is now sent.

    The message names the clinic and carries the link; never a health detail. A channel that
    fails for a reason that may pass is tried again later (recovery.outbox), without sending the
    other channel twice; one refused for good, or taken and never confirmed, is never sent again.
    A check-in that reached the patient by either channel is sent; one that reached nobody is
    given up, and puts the patient on the work queue as not reached.
    """
    now = now or timezone.now()
    if not _claim_check_in(check_in_id, now):
        return False
    check_in = CheckIn.objects.select_related("session__clinic", "session__patient__clinic").get(pk=check_in_id)
    patient, clinic = check_in.session.patient, check_in.session.clinic
    if not patient.consents_to_check_ins:
        # Never asked, so no longer awaited: the recovery may now be resolved by its reports.
        with transaction.atomic():
            CheckIn.objects.filter(pk=check_in_id).update(status=CheckInStatus.CANCELLED, claimed_until=None)
            _reassess(check_in)
        return False
    outcome = delivery.deliver(
        row=check_in,
        kind="check-in",
        what="Check-in",
        subject=gettext_lazy("%(clinic)s: how are you feeling?"),
        templates=("checkins/check_in_message.txt", "checkins/check_in_sms.txt"),
        context={"clinic": clinic, "link": base_url.rstrip("/") + message_link_path(check_in)},
    )
    # The status, the moment the patient was asked and the recovery's deadlines change together, or
    # none does: a failure leaves the check-in to be sent again, not half-done.
    status = outbox.attempt_settle(
        row=check_in, delivery=outcome, due_at=check_in.due_at, now=timezone.now(), statuses=STATUSES
    )
    if status == CheckInStatus.FAILED:
        problems = reach_problems(email=check_in.email_result, text=check_in.text_result)
        log.error("Check-in %s given up after %s attempts: %s", check_in.pk, check_in.send_attempts, problems)
    return status == CheckInStatus.SENT


def _reassess(check_in: CheckIn) -> None:
    services.recovery_assess(recovery=Recovery.objects.open_for(check_in.session))


def check_in_send_now(*, session: TreatmentSession, now: datetime | None = None) -> CheckIn:
    """Staff send the patient an extra check-in now, e.g. when the patient calls; the
    planned ones stay as they are, so the patient loses none of the schedule."""
    if not session.patient.consents_to_check_ins:
        raise ValidationError(str(NO_CONSENT_TO_SEND))
    with transaction.atomic():
        # Locked, so two taps arriving together are serialised and the second sees the first.
        recovery = Recovery.objects.open_for(session)
        Recovery.objects.select_for_update().filter(pk=recovery.pk).first()
        # Read after the lock: a tap that waited for another sees that one's check-in as past.
        now = now or timezone.now()
        recent = CheckIn.objects.filter(session=session, due_at__gt=now - SEND_NOW_DEBOUNCE, due_at__lte=now)
        if recent.exclude(status__in=[CheckInStatus.FAILED, CheckInStatus.CANCELLED]).exists():
            raise ValidationError(str(ALREADY_ON_ITS_WAY))
        check_in = CheckIn.objects.create(session=session, due_at=now)
        services.recovery_assess(recovery=recovery)
        # Sent at once; if the broker is down, the next beat finds it due.
        handoff.after_commit(handoff.CHECK_IN_SEND, [check_in.pk])
    return check_in


@dataclass(frozen=True)
class Answer:
    report: ReactionReport
    stored_now: bool


def check_in_answer(
    *,
    check_in: CheckIn,
    reactions,
    red_flags_present,
    red_flags_asked,
    wants_call: bool,
    note: str,
    unanswered: Sequence[str] = (),
    marks: Sequence[MarkEntry] = (),
) -> Answer:
    """Store the patient's report once: a double tap or a replay finds it already there.

    The check-in row is locked, so two submissions arriving together are serialised and the second
    sees the first's answer. The answer is stored by itself, in its own transaction: photos are sent
    after it, from the answered page (photos.uploads), and nothing they do can cost it.
    """
    with transaction.atomic():
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
            unanswered=unanswered,
            marks=marks,
        )
        locked.report = report
        locked.save(update_fields=["report"])
    return Answer(report=report, stored_now=True)


def check_in_rest_answer(
    *,
    check_in: CheckIn,
    reactions,
    red_flags_present,
    red_flags_asked,
    marks: Sequence[MarkEntry] = (),
    now: datetime | None = None,
) -> ReactionReport:
    """Add what the patient's answer had left unanswered to the same report; nothing answered changes.

    The report is learnt anew now: whatever it says needs attention from now on, so a follow-up made
    before the rest arrived is not taken to have answered it, and staff are told again.
    """
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update(of=("self",)).select_related("report").get(pk=check_in.pk)
        report = locked.report
        gaps = set(report.unanswered)
        if not gaps:
            return report
        fresh = [entry for entry in reactions if f"reaction:{entry.reaction_type.code}" in gaps]
        pains = [e for e in reactions if f"pain:{e.reaction_type.code}" in gaps and e.pain_score is not None]
        for entry in pains:
            ReportedReaction.objects.filter(report=report, reaction_type=entry.reaction_type).update(
                pain_score=entry.pain_score
            )
        asked = [q for q in red_flags_asked if f"flag:{q.code}" in gaps]
        answered = {f"reaction:{e.reaction_type.code}" for e in fresh} | {f"flag:{q.code}" for q in asked}
        answered |= {f"pain:{e.reaction_type.code}" for e in pains}
        report.unanswered = [gap for gap in report.unanswered if gap not in answered]
        # Where a reaction or flag answered now is: one answered before was placed, or not, with it.
        marked_now = [e.reaction_type for e in fresh if e.severity] + [q for q in red_flags_present if q in asked]
        report.created_at = now or timezone.now()
        ReactionReport.objects.filter(pk=report.pk).update(unanswered=report.unanswered, created_at=report.created_at)
        services.answers_store(
            report=report,
            reactions=fresh,
            red_flags_present=[q for q in red_flags_present if q in asked],
            asked=asked,
            marks=[mark for mark in marks if mark.subject in marked_now],
            # A telling of its own: the staff were told of what the report said before, not of this.
            event_key=f"attention:{report.pk}:{report.created_at.isoformat()}",
        )
    return report
