from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.forms import restrict_clinic_field
from clinics.scoping import clinics_of

from .models import Patient

DATE_OF_BIRTH_IN_FUTURE = _("The date of birth cannot be in the future.")
DATE_OF_BIRTH_TOO_EARLY = _("Check the date of birth: it is more than 120 years ago.")
CONSENT_NEEDS_CONTACT = _("To send check-in messages, enter the patient's email or phone.")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "clinic",
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "sensitivities",
            "consents_to_check_ins",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sensitivities": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        restrict_clinic_field(self, clinics_of(user))

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(DATE_OF_BIRTH_IN_FUTURE)
        if born < _years_before(today, 120):
            raise forms.ValidationError(DATE_OF_BIRTH_TOO_EARLY)
        return born

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consents_to_check_ins") and not (cleaned.get("email") or cleaned.get("phone")):
            self.add_error("consents_to_check_ins", CONSENT_NEEDS_CONTACT)
        return cleaned


class PatientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
