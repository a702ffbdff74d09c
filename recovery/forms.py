from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clinics.clocks import WallClockField, on_clinic_clock
from clinics.forms import show_service_errors
from clinics.limits import NOTE_MAX_LENGTH
from treatments.forms import DATE_INPUT, DATETIME_LOCAL
from treatments.models import Area, TreatmentSession

from . import services
from .mark_fields import WhereRow, add_where_fields, mark_of, where_row
from .marks import MarkEntry
from .models import (
    SERIOUSNESS,
    Causality,
    CloseOutcome,
    ComplicationType,
    FollowUpAction,
    Grade,
    Outcome,
    ReactionType,
    RedFlagQuestion,
    TreatmentGiven,
)
from .rules import Severity

PAIN_WITHOUT_REACTION = _("Choose how strong the pain is, or leave the pain score empty.")
AREAS_WITHOUT_REACTION = _("Areas only apply to a reaction that is present.")
PLACE_WITHOUT_REACTION = _("A place on the chart only applies to a reaction that is present.")
PLACE_WITHOUT_FLAG = _("A place on the chart only applies to a red flag that is ticked.")
PLACE_ON_THE_CHART = _("Place on the chart")


class ReactionRowForm(forms.Form):
    """One line of the report: one reaction of the catalogue, how strong, where."""

    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=Severity.choices, coerce=int, initial=Severity.NONE, widget=forms.RadioSelect
    )
    pain_score = forms.IntegerField(label=_("Pain (0–10)"), min_value=0, max_value=10, required=False)
    areas = forms.MultipleChoiceField(
        label=_("Where"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, reaction_type: ReactionType, area_choices, treated_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reaction_type = reaction_type
        self.fields["severity"].label = reaction_type.staff_text
        self.fields["areas"].choices = area_choices
        if not reaction_type.asks_pain_score:
            del self.fields["pain_score"]
        add_where_fields(self, "mark", label=PLACE_ON_THE_CHART, treated_areas=treated_areas)

    @property
    def where(self) -> WhereRow:
        return where_row(self, "mark", "severity")

    def mark(self) -> MarkEntry | None:
        return mark_of(self, "mark", reaction_type=self.reaction_type)

    def clean(self):
        cleaned = super().clean()
        absent = cleaned.get("severity") == Severity.NONE
        if absent and cleaned.get("pain_score"):
            self.add_error("pain_score", PAIN_WITHOUT_REACTION)
        if absent and cleaned.get("areas"):
            self.add_error("areas", AREAS_WITHOUT_REACTION)
        if absent and cleaned.get("where_mark"):
            self.add_error("where_mark", PLACE_WITHOUT_REACTION)
        return cleaned

    def entry(self) -> services.ReactionEntry:
        return services.ReactionEntry(
            reaction_type=self.reaction_type,
            severity=self.cleaned_data["severity"],
            pain_score=self.cleaned_data.get("pain_score"),
            areas=tuple(self.cleaned_data.get("areas", [])),
        )


class BaseReactionRowFormSet(forms.BaseFormSet):
    def __init__(self, *args, reaction_types, area_choices, treated_areas=(), **kwargs):
        self.reaction_types = list(reaction_types)
        self.area_choices = area_choices
        self.treated_areas = treated_areas
        kwargs["initial"] = [{"severity": Severity.NONE} for _ in self.reaction_types]
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        # One row per reaction of the catalogue, whatever a client posts.
        return len(self.reaction_types)

    def get_form_kwargs(self, index):
        return {
            "reaction_type": self.reaction_types[index],
            "area_choices": self.area_choices,
            "treated_areas": self.treated_areas,
        }


ReactionRowFormSet = forms.formset_factory(ReactionRowForm, formset=BaseReactionRowFormSet, extra=0)


class ReportForm(forms.Form):
    reported_at = WallClockField(label=_("When the patient had these reactions"), widget=DATETIME_LOCAL)
    red_flags = forms.ModelMultipleChoiceField(
        label=_("Red flags"),
        queryset=RedFlagQuestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_call = forms.BooleanField(label=_("Something feels off: the patient asks to be called"), required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX_LENGTH
    )

    def __init__(self, *args, session: TreatmentSession, treated_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.questions = list(RedFlagQuestion.objects.filter(clinic_id=session.clinic_id))
        self.fields["red_flags"].queryset = RedFlagQuestion.objects.filter(clinic_id=session.clinic_id)
        self.fields["red_flags"].label_from_instance = lambda question: question.staff_text
        for question in self.questions:
            if question.asks_where:
                label = _("Place on the chart: %(flag)s") % {"flag": question.staff_text}
                add_where_fields(self, f"flag_{question.pk}", label=label, treated_areas=treated_areas)

    def clean(self):
        cleaned = super().clean()
        ticked = {question.pk for question in cleaned.get("red_flags", [])}
        for question in self.questions:
            if cleaned.get(f"where_flag_{question.pk}") and question.pk not in ticked:
                self.add_error(f"where_flag_{question.pk}", PLACE_WITHOUT_FLAG)
        return cleaned

    def flag_rows(self) -> list[tuple]:
        """Each red flag's checkbox, with where it is when it asks."""
        places = {question.pk: where_row(self, f"flag_{question.pk}", "") for question in self.questions}
        return [(choice, places.get(choice.data["value"].value)) for choice in self["red_flags"]]

    def marks(self) -> list[MarkEntry]:
        marks = [mark_of(self, f"flag_{question.pk}", red_flag=question) for question in self.cleaned_data["red_flags"]]
        return [mark for mark in marks if mark]

    def clean_reported_at(self):
        # Read as wall-clock time at the session's clinic, whatever zone the user is in.
        reported_at = on_clinic_clock(self.cleaned_data["reported_at"], self.session.clinic.zone)
        if problem := services.report_time_problem(reported_at, session=self.session):
            raise forms.ValidationError(problem)
        return reported_at


class ReportEntry:
    """The report form and one row per catalogue reaction, validated and saved as one."""

    def __init__(self, data=None, *, session: TreatmentSession):
        self.session = session
        reaction_types = ReactionType.objects.filter(clinic_id=session.clinic_id)
        # The session's areas first, then every other: a reaction beyond them is kept, and is a finding.
        treated = [(a.area, str(a)) for a in session.areas.all()]
        area_choices = treated + [(code, label) for code, label in Area.choices if code not in dict(treated)]
        now = timezone.localtime(timezone=session.clinic.zone).replace(second=0, microsecond=0, tzinfo=None)
        self.form = ReportForm(
            data, session=session, treated_areas=dict(treated), initial={"reported_at": now}, prefix="report"
        )
        self.reactions = ReactionRowFormSet(
            data,
            reaction_types=reaction_types,
            area_choices=area_choices,
            treated_areas=dict(treated),
            prefix="reactions",
        )

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.reactions.is_valid()])

    def service_arguments(self) -> dict:
        data = self.form.cleaned_data
        return {
            "session": self.session,
            "reported_at": data["reported_at"],
            "reactions": [form.entry() for form in self.reactions],
            "red_flags_present": list(data["red_flags"]),
            "red_flags_asked": list(self.form.fields["red_flags"].queryset),
            "wants_call": data["wants_call"],
            "note": data["note"],
            "marks": [mark for form in self.reactions if (mark := form.mark())] + self.form.marks(),
        }

    def add_service_errors(self, error) -> None:
        show_service_errors(self.form, error)


class FollowUpForm(forms.Form):
    action = forms.ChoiceField(label=_("What was done"), choices=FollowUpAction.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX_LENGTH
    )
    # When the page was drawn: the follow-up acknowledges what the user could see then.
    seen_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_at"].initial = timezone.now().isoformat()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == FollowUpAction.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say what was done."))
        return cleaned


class ComplicationForm(forms.Form):
    """A confirmed complication as the regulators' forms ask for it; the onset comes from the timeline."""

    complication_type = forms.ChoiceField(label=_("Type"), choices=ComplicationType.choices)
    grade = forms.TypedChoiceField(
        label=_("Grade (CTCAE v5)"), choices=Grade.choices, coerce=int, widget=forms.RadioSelect
    )
    serious_death = forms.BooleanField(label=SERIOUSNESS["serious_death"], required=False)
    serious_life_threatening = forms.BooleanField(label=SERIOUSNESS["serious_life_threatening"], required=False)
    serious_hospitalisation = forms.BooleanField(label=SERIOUSNESS["serious_hospitalisation"], required=False)
    serious_disability = forms.BooleanField(label=SERIOUSNESS["serious_disability"], required=False)
    serious_intervention = forms.BooleanField(label=SERIOUSNESS["serious_intervention"], required=False)
    serious_medically_significant = forms.BooleanField(
        label=SERIOUSNESS["serious_medically_significant"], required=False
    )
    ischaemic = forms.BooleanField(
        label=_("Ischaemic"), required=False, help_text=_("A vascular occlusion: blanching, mottling, dusky skin.")
    )
    outcome = forms.ChoiceField(
        label=pgettext_lazy("of a complication", "Outcome"),
        choices=Outcome.choices,
        initial=Outcome.RECOVERING,
        widget=forms.RadioSelect,
    )
    treatments_given = forms.MultipleChoiceField(
        label=_("Treatment given"),
        choices=TreatmentGiven.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    resolved_on = forms.DateField(label=_("Resolution date"), widget=DATE_INPUT, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX_LENGTH
    )
    close_recovery = forms.BooleanField(
        label=_("Close the recovery"),
        required=False,
        help_text=_("Only when the patient has recovered and no more follow-up is needed."),
    )

    def __init__(self, *args, session: TreatmentSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(session.products_used.select_related("batch__product").order_by("pk"))
        for line in self.lines:
            # Every product of the session is a possible suspect until the clinician says otherwise.
            self.fields[f"suspect_{line.pk}"] = forms.ChoiceField(
                label=_("%(product)s, lot %(lot)s: causality")
                % {"product": line.batch.product.name, "lot": line.batch.lot_number},
                choices=[("", _("Not suspected")), *Causality.choices],
                initial=Causality.POSSIBLE,
                required=False,
            )

    @property
    def suspect_fields(self) -> list:
        return [self[f"suspect_{line.pk}"] for line in self.lines]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        suspects = {line.pk: data.pop(f"suspect_{line.pk}") for line in self.lines}
        return {
            **{name: value for name, value in data.items() if name not in SERIOUSNESS},
            "seriousness": [name for name in SERIOUSNESS if data.get(name)],
            "suspects": {pk: causality for pk, causality in suspects.items() if causality},
        }


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CloseOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX_LENGTH
    )


class ReactionTypeForm(forms.ModelForm):
    class Meta:
        model = ReactionType
        fields = [
            "staff_label",
            "staff_label_fr",
            "patient_wording",
            "patient_wording_fr",
            "kind",
            "fades_by_hours",
            "attention_after_hours",
            "new_onset_attention_after_hours",
            "attention_when_worse",
            "asks_pain_score",
            "attention_pain_score",
            "source",
            "source_fr",
        ]
        widgets = {"source": forms.Textarea(attrs={"rows": 2}), "source_fr": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Patients read one or the other: both are written.
        self.fields["patient_wording_fr"].required = True

    def clean(self):
        cleaned = super().clean()
        fades, attention = cleaned.get("fades_by_hours"), cleaned.get("attention_after_hours")
        if fades and attention is not None and attention < fades:
            self.add_error(
                "attention_after_hours", _("A reaction cannot need attention before it was expected to fade.")
            )
        if cleaned.get("attention_pain_score") is not None and not cleaned.get("asks_pain_score"):
            self.add_error("attention_pain_score", _("Ask for a pain score to use a pain threshold."))
        return cleaned


class RedFlagQuestionForm(forms.ModelForm):
    class Meta:
        model = RedFlagQuestion
        fields = ["staff_label", "staff_label_fr", "patient_question", "patient_question_fr", "emergency", "asks_where"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient_question_fr"].required = True
