from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from trail.services import record_view_log

from .forms import PatientForm, PatientSearchForm
from .models import Patient
from .selectors import patient_list, with_session_summary

PATIENTS_PER_PAGE = 25


def patient_index(request):
    search = PatientSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(patient_list(user=request.user, query=query), PATIENTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = with_session_summary(list(page.object_list))
    return render(request, "patients/patient_list.html", {"search": search, "query": query, "page": page})


def patient_create(request):
    form = PatientForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        patient = form.save()
        messages.success(request, _("Patient %(name)s added.") % {"name": patient.full_name})
        return redirect(patient)
    return render(request, "patients/patient_form.html", {"form": form})


def patient_edit(request, patient_id):
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_id)
    record_view_log(user=request.user, patient=patient, path=request.path)
    form = PatientForm(request.POST or None, instance=patient, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to %(name)s saved.") % {"name": patient.full_name})
        return redirect(patient)
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient})
