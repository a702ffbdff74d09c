"""What a patient had after a session, as they or staff reported it."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.limits import NOTE_MAX_LENGTH
from clinics.models import Clinic
from recovery.rules import Severity
from treatments.models import Area, TreatmentSession

from .catalogue import ReactionType, RedFlagQuestion


class ReportSource(models.TextChoices):
    PATIENT = "patient", _("The patient (check-in)")
    STAFF = "staff", _("Staff, on the patient's behalf")


class ReactionReport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="reports")
    # The session's clinic, carried here as the recovery carries it, so that a clinic's recent reports
    # are read from an index of its own (the batch alert), whatever the other clinics on the host.
    # Sessions never move between clinics, so the copy cannot drift.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+", db_index=False)
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
        indexes = [
            models.Index(fields=["session", "reported_at"], name="report_session_time_idx"),
            # The batch alert starts from the clinic's few reports of the last days, not from every session.
            models.Index(fields=["clinic", "reported_at"], include=["session", "id"], name="report_clinic_time_idx"),
        ]
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
    # Indexed with its report and severity below, rather than alone.
    reaction_type = models.ForeignKey(ReactionType, on_delete=models.PROTECT, related_name="+", db_index=False)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    pain_score = models.PositiveSmallIntegerField(
        _("pain (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    areas = models.JSONField(_("areas"), default=list, blank=True)
    # The session's areas when the reaction was reported on some: a reaction beyond them is a finding,
    # whatever the session says later. Empty for reactions reported on no area, and for those reported
    # before, when only the session's areas could be chosen.
    treated_areas = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["reaction_type__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "reaction_type"], name="reaction_once_per_report"),
            models.CheckConstraint(condition=Q(severity__range=(0, 3)), name="severity_in_range"),
            models.CheckConstraint(
                condition=Q(pain_score__isnull=True) | Q(pain_score__range=(0, 10)), name="pain_score_in_range"
            ),
        ]
        # The batch alert finds the concerning reactions felt from the few concerning types, in the index alone.
        indexes = [
            models.Index(fields=["reaction_type"], include=["report", "severity"], name="reaction_type_report_idx")
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
        # The batch alert reads the red flags raised with a clinic's own questions from here, where it
        # would read every clinic's on the host.
        indexes = [
            models.Index(
                fields=["question"], include=["report"], condition=Q(present=True), name="red_flag_present_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {'yes' if self.present else 'no'}"
