"""The reaction catalogue and the red-flag questions each clinic asks, in both languages."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.limits import NOTE_MAX_LENGTH
from clinics.models import Clinic
from clinics.scoping import managed_clinic_ids_of
from recovery import rules
from recovery.findings import in_language


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
    asks_where = models.BooleanField(
        _("asks where"),
        default=True,
        help_text=_("A yes asks where it is, on the face chart (not for a fever, or a change in eyesight)."),
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
