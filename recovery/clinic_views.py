"""A clinic's settings page, composed here because saving it moves the clinic's planned check-ins."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clinics.forms import ClinicSettingsForm
from clinics.scoping import managed_clinic

from .clinic_settings import clinic_settings_save


def clinic_settings_edit(request, clinic_id):
    clinic = managed_clinic(request.user, clinic_id)
    form = ClinicSettingsForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        clinic_settings_save(form=form)
        messages.success(request, _("Settings of %(clinic)s saved.") % {"clinic": clinic.name})
        return redirect("clinics:settings")
    return render(request, "clinics/clinic_form.html", {"form": form, "clinic": clinic})
