"""A session's recovery with the moments its findings hold from, and what staff do about it:
follow-ups, complications, closure."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.limits import NOTE_MAX_LENGTH
from clinics.models import Clinic
from recovery import rules
from recovery.rules import Status
from treatments.models import TreatmentSession


class CloseOutcome(models.TextChoices):
    RECOVERED = "recovered", _("Recovered as expected")
    RESOLVED_ALONE = "resolved_alone", _("Resolved on its own")
    TREATED_IN_CLINIC = "treated_in_clinic", _("Treated in clinic")
    ANTIBIOTICS = "antibiotics", _("Antibiotics")
    HYALURONIDASE = "hyaluronidase", _("Hyaluronidase")
    REFERRED = "referred", _("Referred")
    REPORTED_TO_REGULATOR = "reported_to_regulator", _("Reported to the regulator")
    # A past session brought in from another system: its recovery is history, never today's work.
    IMPORTED = "imported", _("Imported as history")


def status_is(status: str, now) -> Q:
    """The condition for a status at `now` on the stored moments: `rules.status_from()` as a
    WHERE clause the partial indexes can serve, where a CASE could only be filtered after."""
    attention = Q(attention_at__lte=now)
    overdue = Q(closed_at__isnull=True, overdue_at__lte=now)
    if status == Status.NEEDS_ATTENTION:
        return attention
    if status == Status.OVERDUE:
        return ~attention & overdue
    if status == Status.ON_TRACK:
        return ~attention & ~overdue & Q(closed_at__isnull=True, settled=False)
    return ~attention & ~overdue & (Q(closed_at__isnull=False) | Q(settled=True))


def needs_someone(now) -> Q:
    """Needs attention or is overdue at `now`: what the work queue always shows."""
    return Q(attention_at__lte=now) | Q(closed_at__isnull=True, overdue_at__lte=now)


class RecoveryQuerySet(models.QuerySet):
    def open_for(self, session: TreatmentSession) -> "Recovery":
        """The session's recovery, opened if need be with the session's facts the dashboard filters on."""
        return self.get_or_create(
            session=session,
            defaults={
                "clinic_id": session.clinic_id,
                "practitioner_id": session.practitioner_id,
                "performed_at": session.performed_at,
                # A callable, so the clinic is read only when the recovery is opened.
                "performed_on": lambda: timezone.localtime(session.performed_at, session.clinic.zone).date(),
            },
        )[0]

    def with_status(self, now=None):
        """Annotate `status` and `followed_up` as of `now`: the SQL twin of `rules.status_from()`."""
        now = now or timezone.now()
        return self.annotate(
            status=Case(
                When(attention_at__lte=now, then=Value(Status.NEEDS_ATTENTION)),
                When(closed_at__isnull=False, then=Value(Status.RESOLVED)),
                When(overdue_at__lte=now, then=Value(Status.OVERDUE)),
                When(settled=True, then=Value(Status.RESOLVED)),
                default=Value(Status.ON_TRACK),
                output_field=models.CharField(),
            ),
            followed_up=Case(
                When(
                    Q(attention_at__lte=now) & (Q(unacknowledged_at__isnull=True) | Q(unacknowledged_at__gt=now)),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )


class Recovery(models.Model):
    """The recovery after one session, with the moments its findings start to hold.

    `attention_at` and `overdue_at` are written by the rules in the same
    transaction as every report, follow-up and catalogue change; comparing them
    with the clock answers "which recoveries are overdue now" from an index.
    """

    session = models.OneToOneField(
        TreatmentSession, on_delete=models.CASCADE, primary_key=True, related_name="recovery"
    )
    # The session's clinic, practitioner and time, carried here because the dashboard filters
    # on them with the status: one table, one index, instead of a join over every session.
    # Sessions are never edited after they are saved, so the copies cannot drift.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    performed_at = models.DateTimeField()
    # The session's day on its clinic's calendar: the day the audit counts it under.
    performed_on = models.DateField()
    attention_at = models.DateTimeField(null=True, blank=True)
    unacknowledged_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    # What the complication audit counts, written with the report or complication that makes it true.
    patient_reported = models.BooleanField(default=False)
    clinician_confirmed = models.BooleanField(default=False)
    # The transitions the sweep has told staff of, so it tells each once.
    notified_attention_at = models.DateTimeField(null=True, blank=True)
    notified_overdue_at = models.DateTimeField(null=True, blank=True)
    settled = models.BooleanField(default=False)
    findings = models.JSONField(default=list, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_outcome = models.CharField(_("outcome"), max_length=30, choices=CloseOutcome.choices, blank=True)
    closing_note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    history = HistoricalRecords(
        excluded_fields=[
            "clinic",
            "practitioner",
            "performed_at",
            "performed_on",
            "attention_at",
            "unacknowledged_at",
            "overdue_at",
            "settled",
            "findings",
            "patient_reported",
            "clinician_confirmed",
            "notified_attention_at",
            "notified_overdue_at",
        ]
    )

    objects = RecoveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        # Each carries what the dashboard counts, orders and filters by, so its questions are answered
        # from the index without visiting the table (`recovery.queue`).
        indexes = [
            models.Index(
                fields=["clinic", "-performed_at"],
                name="recovery_clinic_time_idx",
                include=["attention_at", "overdue_at", "closed_at", "settled", "practitioner", "session"],
            ),
            models.Index(fields=["practitioner", "-performed_at"], name="recovery_practitioner_time_idx"),
            models.Index(fields=["clinic", "performed_on"], name="recovery_clinic_day_idx"),
            # The work queue: few rows need someone, so partial indexes keep it small at any scale.
            models.Index(
                fields=["clinic", "attention_at"],
                name="recovery_attention_idx",
                condition=Q(attention_at__isnull=False),
                include=["unacknowledged_at", "practitioner", "session"],
            ),
            models.Index(
                fields=["clinic", "overdue_at"],
                name="recovery_open_overdue_idx",
                condition=Q(closed_at__isnull=True, overdue_at__isnull=False),
                include=["attention_at", "practitioner", "session"],
            ),
            models.Index(
                fields=["unacknowledged_at"],
                name="recovery_unacknowledged_idx",
                condition=Q(unacknowledged_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(closing_outcome=""), name="closed_recovery_has_outcome"
            ),
            models.CheckConstraint(
                condition=Q(closing_outcome="") | Q(closing_outcome__in=CloseOutcome.values),
                name="closing_outcome_is_known",
            ),
        ]

    def __str__(self) -> str:
        return str(self.session)

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()

    def assessment(self) -> rules.Assessment:
        return rules.Assessment(
            findings=tuple(rules.Finding.from_stored(f) for f in self.findings),
            settled=self.settled,
            acknowledged_at=self.acknowledged_at,
            closed_at=self.closed_at,
        )

    def status_at(self, now=None) -> str:
        return rules.status_from(
            attention_at=self.attention_at,
            overdue_at=self.overdue_at,
            closed=self.closed_at is not None,
            settled=self.settled,
            now=now or timezone.now(),
        )

    def reasons_at(self, now=None) -> list[rules.Finding]:
        now = now or timezone.now()
        return self.assessment().reasons_at(now)

    def is_followed_up_at(self, now=None) -> bool:
        now = now or timezone.now()
        return rules.is_followed_up(status=self.status_at(now), unacknowledged_at=self.unacknowledged_at, now=now)

    def unanswered_calls_among(self, follow_ups) -> list["FollowUp"]:
        """The calls among its follow-ups that reached nobody since staff last acknowledged it (or since
        the session), oldest first: the twin of `selectors.with_unanswered_calls`, for a page that has
        read the follow-ups already."""
        since = self.acknowledged_at or self.performed_at
        calls = [f for f in follow_ups if f.action in UNANSWERED_CALLS and f.recorded_at > since]
        return sorted(calls, key=lambda follow_up: follow_up.recorded_at)


class FollowUpAction(models.TextChoices):
    CALLED = "called", _("Called: spoke to the patient")
    CALL_NO_ANSWER = "call_no_answer", _("Called: no answer")
    CALL_LEFT_MESSAGE = "call_left_message", _("Called: left a message")
    REVIEWED_IN_CLINIC = "reviewed_in_clinic", _("Reviewed in clinic")
    REFERRED_TO_DOCTOR = "referred_to_doctor", _("Referred to a doctor")
    TREATMENT_GIVEN = "treatment_given", _("Treatment given")
    OTHER = "other", _("Other")


# Calls that did not reach the patient: nobody has heard how they are, so what needed attention
# still does, and the attempts are counted for the next person to see.
UNANSWERED_CALLS = (FollowUpAction.CALL_NO_ANSWER, FollowUpAction.CALL_LEFT_MESSAGE)


class FollowUp(models.Model):
    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("what was done"), max_length=30, choices=FollowUpAction.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=FollowUpAction.values), name="follow_up_action_is_known")
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.recorded_at:%d %b %Y %H:%M}"


class RulesApplied(models.Model):
    """The version of the recovery rules every stored recovery was last assessed with.

    `recovery_reassess` compares it with the rules of the running release: the same rules leave
    every stored moment right, so only a release that changes them pays for a full reassessment.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    applied_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} ({self.applied_at:%Y-%m-%d %H:%M})"
