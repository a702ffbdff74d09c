"""A complication confirmed by a clinician, described as the regulators' forms ask: its grade with
the CTCAE's general wording, the seriousness criteria, when it began after the session, the suspect
products with their causality, and its outcome apart from the treatment given."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.limits import NOTE_MAX_LENGTH
from treatments.models import SessionProduct

from .recoveries import Recovery


class ComplicationType(models.TextChoices):
    INFECTION = "infection", _("Infection")
    ALLERGIC_REACTION = "allergic_reaction", _("Allergic reaction")
    NODULE = "nodule", _("Nodule")
    VASCULAR = "vascular", _("Vascular")
    PERSISTENT_SWELLING_OR_PAIN = "persistent_swelling_or_pain", _("Persistent swelling or pain")
    OTHER = "other", _("Other")


class Grade(models.IntegerChoices):
    """CTCAE v5's general grades, in its own words."""

    MILD = 1, _("Grade 1 – mild: no intervention needed, observation only")
    MODERATE = 2, _("Grade 2 – moderate: minimal, local or non-invasive intervention")
    SEVERE = 3, _("Grade 3 – severe or medically significant, not immediately life-threatening: hospitalisation")
    LIFE_THREATENING = 4, _("Grade 4 – life-threatening consequences: urgent intervention")
    DEATH = 5, _("Grade 5 – death related to the event")


class Outcome(models.TextChoices):
    """The outcome as the Yellow Card, MedWatch and ANSM forms word it."""

    RECOVERED = "recovered", _("Recovered")
    RECOVERING = "recovering", _("Recovering")
    NOT_RECOVERED = "not_recovered", _("Not recovered")
    RECOVERED_WITH_SEQUELAE = "recovered_with_sequelae", _("Recovered with sequelae")
    FATAL = "fatal", _("Fatal")
    UNKNOWN = "unknown", _("Unknown")


class TreatmentGiven(models.TextChoices):
    CARE_IN_CLINIC = "care_in_clinic", _("Care in clinic")
    HYALURONIDASE = "hyaluronidase", _("Hyaluronidase")
    ANTIBIOTICS = "antibiotics", _("Antibiotics")
    ANTIHISTAMINES = "antihistamines", _("Antihistamines")
    STEROIDS = "steroids", _("Corticosteroids")
    DRAINAGE = "drainage", _("Drainage")
    REFERRED = "referred", _("Referred to a specialist or hospital")


class OnsetClass(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (within 24 hours)")
    EARLY = "early", _("Early (within 4 weeks)")
    LATE = "late", _("Late (after 4 weeks)")
    DELAYED = "delayed", _("Delayed (after a year)")


class Causality(models.TextChoices):
    CERTAIN = "certain", _("Certain")
    PROBABLE = "probable", _("Probable")
    POSSIBLE = "possible", _("Possible")
    UNLIKELY = "unlikely", _("Unlikely")


# The seriousness criteria the regulators share, each its own tick; any one makes the event serious.
SERIOUSNESS = {
    "serious_death": _("Death"),
    "serious_life_threatening": _("Life-threatening"),
    "serious_hospitalisation": _("Hospitalisation, or a longer stay"),
    "serious_disability": _("Disability or permanent damage"),
    "serious_intervention": _("Intervention needed to prevent permanent harm"),
    "serious_medically_significant": _("Other medically significant event"),
}


def onset_class_of(hours_after_session: float) -> str:
    if hours_after_session <= 24:
        return OnsetClass.IMMEDIATE
    if hours_after_session <= 28 * 24:
        return OnsetClass.EARLY
    if hours_after_session <= 365 * 24:
        return OnsetClass.LATE
    return OnsetClass.DELAYED


class Complication(models.Model):
    """A complication confirmed by a clinician: the numerator of the clinician-confirmed rate.

    Its onset is not typed: it is the first report of the reaction after the session
    (`recovery.complications.onset_of`), so the onset class cannot disagree with the timeline.
    Complications recorded before grades were kept have none: the audit counts them as "grade not recorded".
    """

    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="complications")
    complication_type = models.CharField(_("type"), max_length=40, choices=ComplicationType.choices)
    grade = models.PositiveSmallIntegerField(_("grade (CTCAE v5)"), choices=Grade.choices, null=True, blank=True)
    serious_death = models.BooleanField(SERIOUSNESS["serious_death"], default=False)
    serious_life_threatening = models.BooleanField(SERIOUSNESS["serious_life_threatening"], default=False)
    serious_hospitalisation = models.BooleanField(SERIOUSNESS["serious_hospitalisation"], default=False)
    serious_disability = models.BooleanField(SERIOUSNESS["serious_disability"], default=False)
    serious_intervention = models.BooleanField(SERIOUSNESS["serious_intervention"], default=False)
    serious_medically_significant = models.BooleanField(SERIOUSNESS["serious_medically_significant"], default=False)
    ischaemic = models.BooleanField(_("ischaemic (vascular occlusion)"), default=False)
    onset_at = models.DateTimeField(_("onset"))
    resolved_on = models.DateField(_("resolution date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, default=Outcome.UNKNOWN)
    treatments_given = models.JSONField(_("treatment given"), default=list, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # The system an imported complication was brought in from; empty for one confirmed here. Whether
    # an imported serious event was reported was that system's to record: it is never reminded here.
    source = models.CharField(_("imported from"), max_length=120, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["onset_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(complication_type__in=ComplicationType.values), name="complication_type_is_known"
            ),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="complication_outcome_is_known"),
            # A range rather than a list: SQLite's introspection misreads a list of numbers.
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=Grade.MILD, grade__lte=Grade.DEATH),
                name="complication_grade_is_known",
            ),
            # A death is grade 5 and fatal, and only a death is.
            models.CheckConstraint(
                condition=Q(serious_death=True, grade=Grade.DEATH, outcome=Outcome.FATAL)
                | (
                    Q(serious_death=False) & ~Q(outcome=Outcome.FATAL) & (Q(grade__isnull=True) | ~Q(grade=Grade.DEATH))
                ),
                name="complication_death_is_grade_5_and_fatal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_complication_type_display()} – {self.onset_at:%d %b %Y}"

    @property
    def is_serious(self) -> bool:
        return any(getattr(self, field) for field in SERIOUSNESS)

    @property
    def seriousness(self) -> list[str]:
        """The criteria ticked, in the forms' order, as codes."""
        return [field for field in SERIOUSNESS if getattr(self, field)]

    @property
    def onset_class(self) -> str:
        after = self.onset_at - self.recovery.session.performed_at
        return onset_class_of(max(after, timedelta(0)).total_seconds() / 3600)

    def get_onset_class_display(self) -> str:
        return OnsetClass(self.onset_class).label

    def treatments_given_display(self) -> list[str]:
        return [TreatmentGiven(code).label for code in self.treatments_given if code in TreatmentGiven.values]


class SuspectProduct(models.Model):
    """A product line of the session suspected of the complication, with the clinician's causality."""

    complication = models.ForeignKey(Complication, on_delete=models.CASCADE, related_name="suspects")
    session_product = models.ForeignKey(SessionProduct, on_delete=models.PROTECT, related_name="+")
    causality = models.CharField(_("causality"), max_length=10, choices=Causality.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["complication", "session_product"], name="suspect_named_once"),
            models.CheckConstraint(condition=Q(causality__in=Causality.values), name="suspect_causality_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.session_product_id}: {self.get_causality_display()}"
