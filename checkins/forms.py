"""The questionnaire a patient answers from a check-in link: plain words, one screen."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clinics.limits import NOTE_MAX_LENGTH
from recovery.mark_fields import add_where_fields, mark_of, where_row
from recovery.models import ReactionType, RedFlagQuestion
from recovery.rules import Severity
from recovery.services import ReactionEntry
from recovery.widgets import AnswerButtons

YES_NO = [("no", _("No")), ("yes", _("Yes"))]
FLAG_UNANSWERED = _("Please answer yes or no.")
PAIN_OUT_OF_RANGE = _("Please choose a number from 0 to 10.")
SEVERITY_UNANSWERED = _("Please choose how strong it is.")
WHERE_OF_A_NO = _("You marked where this is, but answered no: please check your answer.")
WHERE_LABEL = _("Where is it?")
# The patient's words for the levels: in French « Non · Un peu · Moyennement · Beaucoup » agree with
# any reaction, where the staff's « Aucune · Légère · Modérée · Forte » would not.
PATIENT_LEVELS = [
    (Severity.NONE, pgettext_lazy("how strong, as the patient answers", "None")),
    (Severity.MILD, pgettext_lazy("how strong, as the patient answers", "Mild")),
    (Severity.MODERATE, pgettext_lazy("how strong, as the patient answers", "Moderate")),
    (Severity.SEVERE, pgettext_lazy("how strong, as the patient answers", "Severe")),
]


class CheckInForm(forms.Form):
    # Nothing is marked invalid before the patient sends: the server says what is missing, and why.
    use_required_attribute = False
    wants_call = forms.BooleanField(label=_("Something feels off: please call me"), required=False)
    note = forms.CharField(
        label=_("Anything else you want to tell us?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
    )

    def __init__(self, *args, clinic, treated_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reaction_types = list(ReactionType.objects.filter(clinic=clinic))
        # The signs that need an ambulance rather than the clinic come first: a patient whose throat is
        # swelling must not have to answer eight other questions before sending.
        self.questions = sorted(RedFlagQuestion.objects.filter(clinic=clinic), key=lambda q: not q.emergency)
        for reaction_type in self.reaction_types:
            self.fields[f"reaction_{reaction_type.code}"] = forms.TypedChoiceField(
                label=reaction_type.patient_text,
                choices=PATIENT_LEVELS,
                coerce=int,
                initial=Severity.NONE,
                widget=AnswerButtons,
                error_messages={"required": SEVERITY_UNANSWERED, "invalid_choice": SEVERITY_UNANSWERED},
            )
            if reaction_type.asks_pain_score:
                self.fields[f"pain_{reaction_type.code}"] = forms.IntegerField(
                    label=_("How bad is the pain, from 0 (none) to 10 (the worst)?"),
                    min_value=0,
                    max_value=10,
                    required=False,
                    error_messages={
                        "invalid": PAIN_OUT_OF_RANGE,
                        "min_value": PAIN_OUT_OF_RANGE,
                        "max_value": PAIN_OUT_OF_RANGE,
                    },
                )
            add_where_fields(self, f"reaction_{reaction_type.code}", label=WHERE_LABEL, treated_areas=treated_areas)
        for question in self.questions:
            # No answer is taken for granted: "no" to a red flag must be the patient's own.
            self.fields[f"flag_{question.code}"] = forms.ChoiceField(
                label=question.patient_text,
                choices=YES_NO,
                widget=AnswerButtons,
                error_messages={"required": FLAG_UNANSWERED, "invalid_choice": FLAG_UNANSWERED},
            )
            if question.asks_where:
                add_where_fields(self, f"flag_{question.code}", label=WHERE_LABEL, treated_areas=treated_areas)

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            if cleaned.get(f"flag_{question.code}") == "no" and cleaned.get(f"where_flag_{question.code}"):
                self.add_error(f"flag_{question.code}", WHERE_OF_A_NO)
        return cleaned

    def reaction_rows(self):
        """Each reaction's field, with its pain score field where it asks for one, and where it is."""
        return [
            where_row(self, f"reaction_{t.code}", f"reaction_{t.code}", pain_name=f"pain_{t.code}")
            for t in self.reaction_types
        ]

    def flag_fields(self):
        return [where_row(self, f"flag_{q.code}", f"flag_{q.code}") for q in self.questions]

    def _marks(self, reactions, flags_present) -> list:
        marks = [
            mark_of(self, f"reaction_{entry.reaction_type.code}", reaction_type=entry.reaction_type)
            for entry in reactions
        ]
        marks += [mark_of(self, f"flag_{question.code}", red_flag=question) for question in flags_present]
        return [mark for mark in marks if mark]

    def has_urgent_answer(self) -> bool:
        """A "yes" to any red flag, or "please call me": stored and acted on whatever else is wrong."""
        data = self.cleaned_data
        return bool(data.get("wants_call")) or any(data.get(f"flag_{q.code}") == "yes" for q in self.questions)

    def answer_arguments(self) -> dict:
        """What the patient answered: each question kept as answered or named as a gap, none made up.

        Called on a valid form, or on an invalid one that holds an urgent answer.
        """
        data = self.cleaned_data
        reactions, unanswered = [], []
        for reaction_type in self.reaction_types:
            code = reaction_type.code
            severity = data.get(f"reaction_{code}")
            if severity is None:
                unanswered.append(f"reaction:{code}")
                continue
            if f"pain_{code}" in self.errors:
                unanswered.append(f"pain:{code}")
            pain = data.get(f"pain_{code}")
            # A pain score typed, or a place marked, while the level still says "None" (its preset) is a
            # reaction all the same.
            if (pain or data.get(f"where_reaction_{code}")) and severity == Severity.NONE:
                severity = Severity.MILD
            reactions.append(ReactionEntry(reaction_type=reaction_type, severity=severity, pain_score=pain))
        asked = [q for q in self.questions if data.get(f"flag_{q.code}") in ("yes", "no")]
        unanswered += [f"flag:{q.code}" for q in self.questions if q not in asked]
        flags_present = [q for q in asked if data[f"flag_{q.code}"] == "yes"]
        return {
            "reactions": reactions,
            "red_flags_present": flags_present,
            "red_flags_asked": asked,
            "marks": self._marks([entry for entry in reactions if entry.severity], flags_present),
            "wants_call": bool(data.get("wants_call")),
            # Longer than the box allows only if the page was bypassed: the patient's words, cut, not lost.
            "note": data.get("note", str(self.data.get("note", ""))[:NOTE_MAX_LENGTH]),
            "unanswered": unanswered,
        }


class CheckInRestForm(CheckInForm):
    """Only what the patient's stored answer left out, asked again below the advice."""

    def __init__(self, *args, clinic, unanswered, treated_areas=(), **kwargs):
        super().__init__(*args, clinic=clinic, treated_areas=treated_areas, **kwargs)
        gaps = set(unanswered)
        for reaction_type in self.reaction_types:
            code = reaction_type.code
            if f"reaction:{code}" not in gaps:
                for name in (f"reaction_{code}", f"where_reaction_{code}", f"point_reaction_{code}"):
                    del self.fields[name]
                if f"pain:{code}" not in gaps:
                    self.fields.pop(f"pain_{code}", None)
        self.reaction_types = [t for t in self.reaction_types if {f"reaction:{t.code}", f"pain:{t.code}"} & gaps]
        for question in self.questions:
            if f"flag:{question.code}" not in gaps:
                for name in (f"flag_{question.code}", f"where_flag_{question.code}", f"point_flag_{question.code}"):
                    self.fields.pop(name, None)
        self.questions = [q for q in self.questions if f"flag:{q.code}" in gaps]
        for question in self.questions:
            self.fields[f"flag_{question.code}"].required = False
        for field in ("wants_call", "note"):
            del self.fields[field]

    def rest_arguments(self) -> dict:
        """The answers now given: new reactions, pain scores for reactions already stored, flags."""
        data = self.cleaned_data
        reactions = []
        for reaction_type in self.reaction_types:
            code = reaction_type.code
            severity = data.get(f"reaction_{code}")
            pain = data.get(f"pain_{code}")
            if f"reaction_{code}" in self.fields and severity is None:
                continue
            if (pain or data.get(f"where_reaction_{code}")) and severity == Severity.NONE:
                severity = Severity.MILD
            reactions.append(
                ReactionEntry(reaction_type=reaction_type, severity=severity or Severity.NONE, pain_score=pain)
            )
        asked = [q for q in self.questions if data.get(f"flag_{q.code}") in ("yes", "no")]
        flags_present = [q for q in asked if data[f"flag_{q.code}"] == "yes"]
        # Only a reaction asked again here is marked here: one stored before keeps its answer as it was.
        fresh = [e for e in reactions if e.severity and f"reaction_{e.reaction_type.code}" in self.fields]
        return {
            "reactions": reactions,
            "red_flags_present": flags_present,
            "red_flags_asked": asked,
            "marks": self._marks(fresh, flags_present),
        }
