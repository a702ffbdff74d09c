from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .forms import ClinicSettingsForm
from .models import Clinic
from .scoping import managed_clinic_ids_of, require_manager


def clinic_settings(request):
    require_manager(request.user)
    clinics = Clinic.objects.filter(pk__in=managed_clinic_ids_of(request.user))
    return render(request, "clinics/clinic_list.html", {"clinics": clinics})


def clinic_settings_edit(request, clinic_id):
    require_manager(request.user)
    clinic = get_object_or_404(Clinic.objects.filter(pk__in=managed_clinic_ids_of(request.user)), pk=clinic_id)
    form = ClinicSettingsForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings of %(clinic)s saved.") % {"clinic": clinic.name})
        return redirect("clinics:settings")
    return render(request, "clinics/clinic_form.html", {"form": form, "clinic": clinic})
