from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import COUNTRY_CHOICES, Clinic

NOT_YOUR_CLINIC = _("Choose one of your clinics.")


def restrict_clinic_field(form: forms.ModelForm, clinics: list[Clinic]) -> None:
    """Offer only these clinics; hide the choice when there is one, freeze it once saved.

    A record never moves between clinics: its history belongs to the clinic that made it.
    """
    field = form.fields["clinic"]
    field.queryset = Clinic.objects.filter(pk__in=[clinic.pk for clinic in clinics])
    field.error_messages["invalid_choice"] = NOT_YOUR_CLINIC
    if not form.instance._state.adding:
        field.disabled = True
    elif len(clinics) == 1:
        field.initial = clinics[0]
        field.widget = forms.HiddenInput()


class CheckInDaysField(forms.CharField):
    """The check-in schedule typed as "1, 2, 4, 7, 14"."""

    def prepare_value(self, value):
        return ", ".join(str(day) for day in value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return sorted(int(part) for part in text.replace(";", ",").split(",") if part.strip())
        except ValueError as error:
            raise forms.ValidationError(_("Give whole numbers of days, separated by commas.")) from error


class ClinicSettingsForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRY_CHOICES)
    check_in_days = CheckInDaysField(
        label=_("Check-in schedule (days after a session)"),
        required=False,
        help_text=_("E.g. 1, 2, 4, 7, 14. Leave empty to send no check-ins. New sessions follow the new schedule."),
    )

    class Meta:
        model = Clinic
        fields = ["phone", "country", "language", "check_in_days", "practitioners_need_two_factor"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class SignInCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        )


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal (a rule or a race the form could not see) on the form, by field."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in by_field.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
