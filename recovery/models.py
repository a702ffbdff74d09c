import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.limits import NOTE_MAX_LENGTH
from clinics.models import Clinic
from clinics.scoping import clinic_ids_of, managed_clinic_ids_of
from messaging.channels import Channels, new_code
from messaging.reach import Reach
from treatments.models import Area, TreatmentSession

from . import rules
from .photo_models import PhotoSource, PhotoUpload, UploadState  # noqa: F401 (found here by Django and callers)
from .rules import Severity, Status


def in_language(*, english: str, french: str) -> str:
    """The catalogue's patient text in the active language; the English one where no French is written."""
    return french if translation.get_language().startswith("fr") and french else english


class ReactionKind(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    CONCERNING = "concerning", _("Concerning")


class CatalogueQuerySet(models.QuerySet):
    def managed_by(self, user):
        return self.filter(clinic_id__in=managed_clinic_ids_of(user))


class ReactionType(models.Model):
    """One reaction a patient may have after a session, with its clinic's timing rules."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="reaction_types")
    code = models.SlugField(_("code"), max_length=40)
    staff_label = models.CharField(_("label for staff (English)"), max_length=80)
    staff_label_fr = models.CharField(_("label for staff (French)"), max_length=80, blank=True)
    patient_wording = models.CharField(_("words the patient reads (English)"), max_length=160)
    patient_wording_fr = models.CharField(_("words the patient reads (French)"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ReactionKind.choices)
    fades_by_hours = models.PositiveIntegerField(
        _("should fade by (hours after the session)"), validators=[MinValueValidator(1)]
    )
    attention_after_hours = models.PositiveIntegerField(
        _("needs attention if still present after (hours)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when time alone never makes it need attention."),
    )
    new_onset_attention_after_hours = models.PositiveIntegerField(
        _("needs attention if it first appears after (hours)"), null=True, blank=True
    )
    attention_when_worse = models.BooleanField(_("needs attention when it gets worse between reports"), default=True)
    asks_pain_score = models.BooleanField(_("ask for a pain score (0–10)"), default=False)
    attention_pain_score = models.PositiveSmallIntegerField(
        _("needs attention at a pain score of"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    source = models.TextField(_("source of the figures (English)"), max_length=NOTE_MAX_LENGTH, blank=True)
    source_fr = models.TextField(_("source of the figures (French)"), max_length=NOTE_MAX_LENGTH, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "position", "pk"]
        verbose_name = _("reaction type")
        verbose_name_plural = _("reaction catalogue")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="reaction_code_unique_per_clinic"),
            models.CheckConstraint(condition=Q(kind__in=ReactionKind.values), name="reaction_kind_is_known"),
            models.CheckConstraint(
                condition=Q(attention_after_hours__isnull=True) | Q(attention_after_hours__gte=F("fades_by_hours")),
                name="attention_not_before_fading",
            ),
            models.CheckConstraint(
                condition=Q(attention_pain_score__isnull=True) | Q(attention_pain_score__range=(1, 10)),
                name="attention_pain_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.staff_text

    @property
    def staff_text(self) -> str:
        """The label in the reader's language, where it is written in it."""
        return in_language(english=self.staff_label, french=self.staff_label_fr)

    @property
    def source_text(self) -> str:
        return in_language(english=self.source, french=self.source_fr)

    @property
    def patient_text(self) -> str:
        """The words in the language being spoken: the patient's, on their pages and messages."""
        return in_language(english=self.patient_wording, french=self.patient_wording_fr)

    def as_rule(self) -> rules.ReactionRule:
        return rules.ReactionRule(
            code=self.code,
            label=self.staff_label,
            label_fr=self.staff_label_fr,
            fades_by_hours=self.fades_by_hours,
            attention_after_hours=self.attention_after_hours,
            new_onset_attention_after_hours=self.new_onset_attention_after_hours,
            attention_when_worse=self.attention_when_worse,
            attention_pain_score=self.attention_pain_score,
        )


class RedFlagQuestion(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="red_flag_questions")
    code = models.SlugField(_("code"), max_length=40)
    staff_label = models.CharField(_("label for staff (English)"), max_length=120)
    staff_label_fr = models.CharField(_("label for staff (French)"), max_length=120, blank=True)
    patient_question = models.CharField(_("question the patient reads (English)"), max_length=200)
    patient_question_fr = models.CharField(_("question the patient reads (French)"), max_length=200, blank=True)
    emergency = models.BooleanField(
        _("emergency"),
        default=False,
        help_text=_("Tell the patient to call emergency services rather than the clinic."),
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "position", "pk"]
        verbose_name = _("red-flag question")
        verbose_name_plural = _("red-flag questions")
        constraints = [models.UniqueConstraint(fields=["clinic", "code"], name="red_flag_code_unique_per_clinic")]

    def __str__(self) -> str:
        return self.staff_text

    @property
    def staff_text(self) -> str:
        """The label in the reader's language, where it is written in it."""
        return in_language(english=self.staff_label, french=self.staff_label_fr)

    @property
    def patient_text(self) -> str:
        """The question in the language being spoken: the patient's, on their pages and messages."""
        return in_language(english=self.patient_question, french=self.patient_question_fr)


class CloseOutcome(models.TextChoices):
    RECOVERED = "recovered", _("Recovered as expected")
    RESOLVED_ALONE = "resolved_alone", _("Resolved on its own")
    TREATED_IN_CLINIC = "treated_in_clinic", _("Treated in clinic")
    ANTIBIOTICS = "antibiotics", _("Antibiotics")
    HYALURONIDASE = "hyaluronidase", _("Hyaluronidase")
    REFERRED = "referred", _("Referred")
    REPORTED_TO_REGULATOR = "reported_to_regulator", _("Reported to the regulator")


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
        indexes = [
            models.Index(fields=["clinic", "-performed_at"], name="recovery_clinic_time_idx"),
            models.Index(fields=["practitioner", "-performed_at"], name="recovery_practitioner_time_idx"),
            models.Index(fields=["clinic", "performed_on"], name="recovery_clinic_day_idx"),
            # The work queue: few rows need someone, so partial indexes keep it small at any scale.
            models.Index(
                fields=["clinic", "attention_at"],
                name="recovery_attention_idx",
                condition=Q(attention_at__isnull=False),
            ),
            models.Index(
                fields=["clinic", "overdue_at"],
                name="recovery_open_overdue_idx",
                condition=Q(closed_at__isnull=True, overdue_at__isnull=False),
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


class ReportSource(models.TextChoices):
    PATIENT = "patient", _("The patient (check-in)")
    STAFF = "staff", _("Staff, on the patient's behalf")


class ReactionReport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="reports")
    reported_at = models.DateTimeField(_("when the patient had these reactions"))
    source = models.CharField(_("reported by"), max_length=20, choices=ReportSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    wants_call = models.BooleanField(_("something feels off, please call me"), default=False)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Whether this report, when it came in, made the recovery need a clinician: the patient
    # is told to call, and staff are told at once. Kept, so the answer page says the same later.
    needs_clinician = models.BooleanField(default=False, editable=False)
    # What a patient's answer left out or got wrong, kept because it held a red flag or a call request
    # ("flag:<code>", "reaction:<code>", "pain:<code>"): staff see the gaps, the patient is asked again.
    unanswered = models.JSONField(default=list, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reported_at", "created_at"]
        indexes = [models.Index(fields=["session", "reported_at"], name="report_session_time_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=ReportSource.values), name="report_source_is_known"),
            models.CheckConstraint(
                condition=Q(source=ReportSource.PATIENT) | Q(recorded_by__isnull=False),
                name="staff_report_names_its_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.reported_at:%d %b %Y %H:%M}"


class ReportedReaction(models.Model):
    report = models.ForeignKey(ReactionReport, on_delete=models.CASCADE, related_name="reactions")
    reaction_type = models.ForeignKey(ReactionType, on_delete=models.PROTECT, related_name="+")
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    pain_score = models.PositiveSmallIntegerField(
        _("pain (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    areas = models.JSONField(_("areas"), default=list, blank=True)

    class Meta:
        ordering = ["reaction_type__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "reaction_type"], name="reaction_once_per_report"),
            models.CheckConstraint(condition=Q(severity__range=(0, 3)), name="severity_in_range"),
            models.CheckConstraint(
                condition=Q(pain_score__isnull=True) | Q(pain_score__range=(0, 10)), name="pain_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reaction_type}: {self.get_severity_display()}"

    @property
    def area_labels(self) -> list[str]:
        return [Area(code).label for code in self.areas if code in Area.values]


class RedFlagAnswer(models.Model):
    report = models.ForeignKey(ReactionReport, on_delete=models.CASCADE, related_name="red_flag_answers")
    question = models.ForeignKey(RedFlagQuestion, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "question"], name="red_flag_answered_once")]

    def __str__(self) -> str:
        return f"{self.question}: {'yes' if self.present else 'no'}"


class CheckInStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Missed")
    FAILED = "failed", _("Could not be sent")
    CANCELLED = "cancelled", _("Cancelled: no consent")


class CheckIn(Channels):
    """A moment after the session at which the patient is asked how they are.

    The row is the schedule and the send queue at once: beat finds the due rows,
    and a conditional update on `status` claims each one, so however many workers
    or beats run only one sends it at a time; a worker killed after sending sends
    it again when its claim lapses (at least once; see messaging.handoff).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="check_ins")
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=CheckInStatus.choices, default=CheckInStatus.PLANNED)
    claimed_until = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    # Each channel is marked as soon as it has gone, so a retry sends only what is missing.
    emailed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    report = models.OneToOneField(
        "ReactionReport", on_delete=models.PROTECT, null=True, blank=True, related_name="check_in"
    )
    # The link's code (/c/<code>); none for check-ins sent with the long signed link only (NULL, not
    # "", since the codes are unique).
    code = models.CharField(max_length=16, unique=True, null=True, default=new_code, editable=False)  # noqa: DJ001

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="check_in_status_due_idx"),
            models.Index(fields=["given_up_at"], name="check_in_given_up_idx", condition=Q(given_up_at__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "due_at"], name="one_check_in_per_moment"),
            models.CheckConstraint(condition=Q(status__in=CheckInStatus.values), name="check_in_status_is_known"),
            models.CheckConstraint(
                condition=~Q(status=CheckInStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="answered_check_in_has_its_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.due_at:%d %b %Y}"


class GuideStatus(models.TextChoices):
    PENDING = "pending", _("On its way")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")
    CANCELLED = "cancelled", _("Not sent: no consent")


class GuideMessage(Channels):
    """One message to the patient carrying the link to their recovery guide: the outbox row.

    Written in the transaction that logs the session (or by staff sending it again), so a
    broker outage loses nothing: the relay on beat finds the row. The send claims it with a
    conditional update and a lease, as a check-in's does; each message has an id of its own,
    so a repeat after a dead worker carries the same Message-ID and idempotency key, while a
    message staff send again is a new one the patient's mailbox will not fold into the first.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="guide_messages")
    # Empty for the guide sent when the session was logged.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=GuideStatus.choices, default=GuideStatus.PENDING)
    claimed_until = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    # Each channel is marked as soon as it has gone, so a retry sends only what is missing.
    emailed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The short link's code (/g/<code>); the session's first message's is the one every message carries.
    code = models.CharField(max_length=16, unique=True, null=True, default=new_code, editable=False)  # noqa: DJ001

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="guide_message_outbox_idx"),
            models.Index(fields=["given_up_at"], name="guide_given_up_idx", condition=Q(given_up_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=GuideStatus.values), name="guide_status_is_known"),
            models.UniqueConstraint(
                fields=["session"], condition=Q(requested_by__isnull=True), name="one_automatic_guide_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.created_at:%d %b %Y %H:%M}"


class NotificationKind(models.TextChoices):
    RED_FLAG = "red_flag", _("Red flag reported")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    OVERDUE = "overdue", _("Overdue")
    MISSED_CHECK_IN = "missed_check_in", _("Missed check-in")
    NOT_REACHED = "not_reached", _("Not reached")
    BATCH_CLUSTER = "batch_cluster", _("Batch with several complications")


class Notification(models.Model):
    """An in-app message to a member of staff; the outbox that delivers it by email too.

    Written in the same transaction as the event that causes it, so a report is
    never stored without its notification, even when the broker is down. The
    delivery task claims the row with a conditional update and a lease: a second
    run, or a second worker, finds it claimed or delivered and does nothing.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    # What the kind's words need (recovery.notification_words), never the words: each reader reads
    # them in their own language.
    params = models.JSONField(default=dict, blank=True)
    # One notification per recipient and event: "red flag in report X", "overdue since T".
    event_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_claimed_until = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # As a patient's message: retried after a failure that may pass, never sent twice, given up.
    email_result = models.CharField(max_length=12, choices=Reach.choices, blank=True)
    email_retry_at = models.DateTimeField(null=True, blank=True)
    email_given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["emailed_at", "created_at"], name="notification_outbox_idx"),
            models.Index(
                fields=["email_given_up_at"],
                name="notification_given_up_idx",
                condition=Q(email_given_up_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="one_notification_per_event"),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_kind_is_known"),
        ]

    def __str__(self) -> str:
        return self.text


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


class ComplicationType(models.TextChoices):
    INFECTION = "infection", _("Infection")
    ALLERGIC_REACTION = "allergic_reaction", _("Allergic reaction")
    NODULE = "nodule", _("Nodule")
    VASCULAR = "vascular", _("Vascular")
    PERSISTENT_SWELLING_OR_PAIN = "persistent_swelling_or_pain", _("Persistent swelling or pain")
    OTHER = "other", _("Other")


class ComplicationOutcome(models.TextChoices):
    RESOLVED_ALONE = "resolved_alone", _("Resolved on its own")
    TREATED_IN_CLINIC = "treated_in_clinic", _("Treated in clinic")
    ANTIBIOTICS = "antibiotics", _("Antibiotics")
    HYALURONIDASE = "hyaluronidase", _("Hyaluronidase")
    REFERRED = "referred", _("Referred")
    REPORTED_TO_REGULATOR = "reported_to_regulator", _("Reported to the regulator")


class Complication(models.Model):
    """A complication confirmed by a clinician: the numerator of the clinician-confirmed rate."""

    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="complications")
    complication_type = models.CharField(_("type"), max_length=40, choices=ComplicationType.choices)
    onset_on = models.DateField(_("onset"))
    resolved_on = models.DateField(_("resolution date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=ComplicationOutcome.choices, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["onset_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("onset_on")),
                name="complication_resolves_after_onset",
            ),
            models.CheckConstraint(
                condition=Q(complication_type__in=ComplicationType.values), name="complication_type_is_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=ComplicationOutcome.values),
                name="complication_outcome_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_complication_type_display()} – {self.onset_on:%d %b %Y}"


class TallyDimension(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    SERIES = "series", _("Session in the series")
    PRODUCT = "product", _("Product")
    BATCH = "batch", _("Batch")
    AREA = "area", _("Treated area")


class AuditTally(models.Model):
    """How many of one clinic day's sessions had a complication, for one practitioner, series place,
    product, batch or area: the audit of a year sums a few thousand of these instead of counting
    a third of a million sessions.

    Recounted from the recoveries, in the transaction that changes what it counts, by
    `recovery.tallies`; never edited by hand.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    dimension = models.CharField(max_length=20, choices=TallyDimension.choices)
    key = models.CharField(max_length=64)
    sessions = models.PositiveIntegerField()
    reported = models.PositiveIntegerField()
    confirmed = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "day", "dimension", "key"], name="one_tally_per_clinic_day_key"),
            models.CheckConstraint(
                condition=Q(reported__lte=F("sessions")) & Q(confirmed__lte=F("sessions")),
                name="tally_events_within_sessions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension} {self.key}: {self.reported}/{self.confirmed}/{self.sessions}"


class TallyDay(models.Model):
    """A clinic day whose tallies are kept. Its row is locked while they are recounted, so two
    transactions changing the same day's sessions recount one after the other."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "day"], name="one_tally_day_per_clinic_day")]

    def __str__(self) -> str:
        return f"{self.clinic_id} {self.day}"


class RulesApplied(models.Model):
    """The version of the recovery rules every stored recovery was last assessed with.

    `recovery_reassess` compares it with the rules of the running release: the same rules leave
    every stored moment right, so only a release that changes them pays for a full reassessment.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    applied_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} ({self.applied_at:%Y-%m-%d %H:%M})"


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PhotoQuerySet":
        return self.filter(session__clinic_id__in=clinic_ids_of(user))


class Photo(models.Model):
    """A photo of a treated area: the session's own, or one sent with a report afterwards.

    The files live in the private "photos" storage under `image_name` and `thumbnail_name`, written
    by `recovery.photos` from a re-encoded image without metadata; no URL reaches them directly.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="photos")
    report = models.ForeignKey(ReactionReport, on_delete=models.PROTECT, null=True, blank=True, related_name="photos")
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    source = models.CharField(_("from"), max_length=10, choices=PhotoSource.choices)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    image_name = models.CharField(max_length=200, unique=True)
    thumbnail_name = models.CharField(max_length=200, unique=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["added_at"]
        indexes = [models.Index(fields=["session", "added_at"], name="photo_session_time_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(area__in=Area.values), name="photo_area_is_known"),
            models.CheckConstraint(condition=Q(source__in=PhotoSource.values), name="photo_source_is_known"),
            # The session's own photos belong to no report; every later one to the report it came with.
            models.CheckConstraint(
                condition=Q(source=PhotoSource.SESSION, report__isnull=True)
                | (~Q(source=PhotoSource.SESSION) & Q(report__isnull=False)),
                name="photo_report_matches_source",
            ),
            models.CheckConstraint(
                condition=Q(source=PhotoSource.PATIENT) | Q(added_by__isnull=False), name="staff_photo_names_its_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()} – {self.added_at:%d %b %Y %H:%M}"


class DiscardedFile(models.Model):
    """A stored file (a photo, an export) whose record is gone, waiting to be removed from storage.

    Written in the transaction that deletes the record, so a file is removed only once its
    deletion has committed, and never forgotten if the storage is down when it is first tried.
    """

    storage = models.CharField(max_length=20, default="photos")
    name = models.CharField(max_length=200)
    discarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["storage", "name"], name="file_discarded_once")]

    def __str__(self) -> str:
        return self.name
