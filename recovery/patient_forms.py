"""The questionnaire a patient answers from a check-in link: plain words, one screen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clinics.limits import NOTE_MAX_LENGTH

from .models import ReactionType, RedFlagQuestion
from .rules import Severity
from .services import ReactionEntry

YES_NO = [("no", _("No")), ("yes", _("Yes"))]
FLAG_UNANSWERED = _("Please answer yes or no.")
PAIN_WITHOUT_SEVERITY = _("Tell us how strong the soreness is, or leave the pain score empty.")


class CheckInForm(forms.Form):
    wants_call = forms.BooleanField(label=_("Something feels off: please call me"), required=False)
    note = forms.CharField(
        label=_("Anything else you want to tell us?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.reaction_types = list(ReactionType.objects.filter(clinic=clinic))
        self.questions = list(RedFlagQuestion.objects.filter(clinic=clinic))
        for reaction_type in self.reaction_types:
            self.fields[f"reaction_{reaction_type.code}"] = forms.TypedChoiceField(
                label=reaction_type.patient_text,
                choices=Severity.choices,
                coerce=int,
                initial=Severity.NONE,
                widget=forms.RadioSelect,
            )
            if reaction_type.asks_pain_score:
                self.fields[f"pain_{reaction_type.code}"] = forms.IntegerField(
                    label=_("How bad is the pain, from 0 (none) to 10 (the worst)?"),
                    min_value=0,
                    max_value=10,
                    required=False,
                )
        for question in self.questions:
            # No answer is taken for granted: "no" to a red flag must be the patient's own.
            self.fields[f"flag_{question.code}"] = forms.ChoiceField(
                label=question.patient_text,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": FLAG_UNANSWERED},
            )

    def clean(self):
        cleaned = super().clean()
        for reaction_type in self.reaction_types:
            pain = cleaned.get(f"pain_{reaction_type.code}")
            if pain and cleaned.get(f"reaction_{reaction_type.code}") == Severity.NONE:
                self.add_error(f"pain_{reaction_type.code}", PAIN_WITHOUT_SEVERITY)
        return cleaned

    def reaction_rows(self):
        """Each reaction's field, with its pain score field where it asks for one."""
        return [
            (self[f"reaction_{t.code}"], self[f"pain_{t.code}"] if t.asks_pain_score else None)
            for t in self.reaction_types
        ]

    def flag_fields(self):
        return [self[f"flag_{q.code}"] for q in self.questions]

    def answer_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "reactions": [
                ReactionEntry(
                    reaction_type=t,
                    severity=data[f"reaction_{t.code}"],
                    pain_score=data.get(f"pain_{t.code}"),
                )
                for t in self.reaction_types
            ],
            "red_flags_present": [q for q in self.questions if data[f"flag_{q.code}"] == "yes"],
            "red_flags_asked": self.questions,
            "wants_call": data["wants_call"],
            "note": data["note"],
        }
