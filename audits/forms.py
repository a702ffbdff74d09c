from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic
from treatments.forms import DATE_INPUT

PERIOD_BACKWARDS = _("The start must be on or before the end.")


class AuditPeriodForm(forms.Form):
    clinic = forms.ModelChoiceField(
        label=_("Clinic"), queryset=Clinic.objects.none(), required=False, empty_label=_("All my clinics")
    )
    start = forms.DateField(label=_("From"), widget=DATE_INPUT, required=False)
    end = forms.DateField(label=_("To (inclusive)"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = Clinic.objects.filter(pk__in=[c.pk for c in clinics])
        self.clinics = clinics

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        cleaned["end"] = cleaned.get("end") or today
        cleaned["start"] = cleaned.get("start") or cleaned["end"] - timedelta(days=365)
        if cleaned["start"] > cleaned["end"]:
            self.add_error("start", PERIOD_BACKWARDS)
        return cleaned

    def chosen_clinics(self) -> list[Clinic]:
        clinic = self.cleaned_data.get("clinic")
        return [clinic] if clinic else list(self.clinics)


class ExportForm(forms.Form):
    clinic = forms.ModelChoiceField(label=_("Clinic"), queryset=Clinic.objects.none())
    start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end = forms.DateField(label=_("To (inclusive)"), widget=DATE_INPUT)

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = Clinic.objects.filter(pk__in=[c.pk for c in clinics])
        if len(clinics) == 1:
            self.fields["clinic"].initial = clinics[0]
        today = timezone.localdate()
        self.fields["start"].initial = today - timedelta(days=365)
        self.fields["end"].initial = today

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("start", PERIOD_BACKWARDS)
        return cleaned
