from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.forms import restrict_clinic_field
from clinics.scoping import clinics_of

from .models import Patient
from .phones import mobile_number

DATE_OF_BIRTH_IN_FUTURE = _("The date of birth cannot be in the future.")
DATE_OF_BIRTH_TOO_EARLY = _("Check the date of birth: it is more than 120 years ago.")
CONSENT_NEEDS_CONTACT = _("To send check-in messages, enter the patient's email or phone.")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


class PatientForm(forms.ModelForm):
    # Read in the chosen clinic's country (clean_phone), which a model form field cannot know.
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=40,
        help_text=Patient._meta.get_field("phone").help_text,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    class Meta:
        model = Patient
        fields = [
            "clinic",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "email",
            "phone",
            "sensitivities",
            "language",
            "consents_to_check_ins",
            "consents_to_photos",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sensitivities": forms.Textarea(attrs={"rows": 3}),
        }

    texts_again = forms.BooleanField(
        label=_("The patient wants texts again"),
        required=False,
        help_text=_("They replied STOP to the clinic's texts; tick this once they have replied START."),
    )

    def __init__(self, *args, user=None, clinics=None, **kwargs):
        """Offers the user's clinics, or `clinics` for a writer who is no member of staff (an API token)."""
        super().__init__(*args, **kwargs)
        restrict_clinic_field(self, clinics_of(user) if clinics is None else clinics)
        if not self.instance.texts_stopped_at:
            del self.fields["texts_again"]

    def clean_phone(self):
        typed = self.cleaned_data["phone"]
        clinic = self.cleaned_data.get("clinic")
        if not typed or clinic is None:
            return typed
        if not self.instance._state.adding and typed == str(self.instance.phone):
            # A number kept from before numbers were checked is not in the way of changing the
            # rest of the record: it is not texted (see recovery.check_ins), and staff may still call.
            self.phone_kept_as_stored = True
            return self.instance.phone
        return mobile_number(str(typed), country=clinic.country)

    def _get_validation_exclusions(self):
        # The model's own check of the number would refuse the number kept as stored.
        excluded = super()._get_validation_exclusions()
        if getattr(self, "phone_kept_as_stored", False):
            excluded.add("phone")
        return excluded

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        # The clinic's today: a patient born today in Sydney is not born in the future in London.
        clinic = self.cleaned_data.get("clinic")
        today = timezone.localdate(timezone=clinic.zone) if clinic else timezone.localdate()
        if born > today:
            raise forms.ValidationError(DATE_OF_BIRTH_IN_FUTURE)
        if born < _years_before(today, 120):
            raise forms.ValidationError(DATE_OF_BIRTH_TOO_EARLY)
        return born

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consents_to_check_ins") and not (cleaned.get("email") or cleaned.get("phone")):
            self.add_error("consents_to_check_ins", CONSENT_NEEDS_CONTACT)
        # A STOP was sent from the number it was recorded for: a new number, or the patient's own
        # word, lets texts go again.
        if cleaned.get("texts_again") or (
            self.instance.texts_stopped_at
            and "phone" in self.changed_data
            and not getattr(self, "phone_kept_as_stored", False)
        ):
            self.instance.texts_stopped_at = None
        if clinic := cleaned.get("clinic"):
            # Dated here, before the model's own checks, which want a consent with its date.
            self.instance.photo_consent_set(
                bool(cleaned.get("consents_to_photos")), today=timezone.localdate(timezone=clinic.zone)
            )
        return cleaned


class PatientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
