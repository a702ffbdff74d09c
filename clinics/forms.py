from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Clinic

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
