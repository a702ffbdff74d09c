from django import forms
from django.utils.translation import gettext_lazy as _

from clinics.limits import NOTE_MAX_LENGTH
from treatments.forms import DATE_INPUT

from .models import NotReportable, Submission


class SubmissionForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["recipient", "sent_on", "reference"]
        widgets = {"sent_on": DATE_INPUT}
        help_texts = {"sent_on": _("The day the report left: not after today, nor before the event began.")}


class NotReportableForm(forms.ModelForm):
    class Meta:
        model = NotReportable
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX_LENGTH})}
        help_texts = {
            "reason": _("Why this serious event need not be reported: kept with the event, for the next audit.")
        }
