from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .emergency_numbers import emergency_numbers_for
from .models import COUNTRY_CHOICES, TIME_ZONE_CHOICES, Clinic
from .widgets import LongSelect
from .zones import zone_suggested_for, zones_of

NOT_YOUR_CLINIC = _("Choose one of your clinics.")
SEVERAL_ZONES = _("This country has several time zones: choose the clinic's (e.g. %(zones)s).")


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


class FollowsCountry(forms.ModelForm):
    """Left empty, the time zone and the emergency numbers are the country's; the emergency numbers
    still at the previous country's when the country changes become the new one's, so a clinic that
    moves is never left showing another country's. A country of several zones is asked which."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=[("", _("The country's (choose one where it has several)")), *TIME_ZONE_CHOICES],
        widget=LongSelect,
        help_text=Clinic._meta.get_field("time_zone").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["emergency_phone"].required = False
        self.fields["emergency_phone"].help_text += " " + str(_("Left empty, it is the country's."))

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country")
        if not country:
            return cleaned
        if not cleaned.get("time_zone"):
            suggested = zone_suggested_for(country)
            if suggested is None:
                self.add_error("time_zone", SEVERAL_ZONES % {"zones": ", ".join(zones_of(country)[:6])})
            cleaned["time_zone"] = suggested
        previous = self.instance.country if not self.instance._state.adding else None
        numbers = (cleaned.get("emergency_phone") or "", cleaned.get("emergency_phone_other") or "")
        if not numbers[0] or (country != previous and previous and numbers == emergency_numbers_for(previous)):
            cleaned["emergency_phone"], cleaned["emergency_phone_other"] = emergency_numbers_for(country)
        return cleaned


class ClinicAdminForm(FollowsCountry):
    class Meta:
        model = Clinic
        fields = [
            "name",
            "phone",
            "address",
            "reply_to_email",
            "time_zone",
            "country",
            "emergency_phone",
            "emergency_phone_other",
            "language",
            "check_in_days",
            "report_within_days",
            "practitioners_need_two_factor",
        ]


class ClinicSettingsForm(FollowsCountry):
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRY_CHOICES, widget=LongSelect)
    check_in_days = CheckInDaysField(
        label=_("Check-in schedule (days after a session)"),
        required=False,
        help_text=_("E.g. 1, 2, 4, 7, 14. Leave empty to send no check-ins. New sessions follow the new schedule."),
    )

    class Meta:
        model = Clinic
        fields = [
            "phone",
            "address",
            "reply_to_email",
            "country",
            "time_zone",
            "emergency_phone",
            "emergency_phone_other",
            "language",
            "check_in_days",
            "report_within_days",
            "practitioners_need_two_factor",
        ]


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
