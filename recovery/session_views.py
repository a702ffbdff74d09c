"""Logging a session opens its recovery; the session's own page, with its photos, is photos.session_views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from clinics.clocks import render_in_clinic_time
from treatments.diagrams import diagram_figures
from treatments.forms import SessionEntry, next_session_start, session_initial
from treatments.scanner import allows_the_scanner

from . import sessions
from .history import reaction_history


@allows_the_scanner
def session_create(request):
    # "Log the next session": the series goes on from its previous session, to confirm or change,
    # its time on the patient's clinic clock.
    series = next_session_start(user=request.user, previous_session_id=request.GET.get("after"))
    patient_id = series.previous.patient_id if series else request.GET.get("patient")
    initial = session_initial(user=request.user, patient_id=patient_id)
    if series:
        initial.update(series.initial)
    entry = SessionEntry(
        request.POST or None, user=request.user, initial=initial, products_initial=series.products if series else None
    )
    if request.method == "POST" and entry.is_valid():
        try:
            session = sessions.session_log(**entry.service_arguments())
        except ValidationError as error:
            entry.add_service_errors(error)
        else:
            messages.success(request, _("Session recorded."))
            return redirect(session)
    patient = initial.get("patient")
    # The previous session's day is on its clinic's calendar, whoever is chosen on the form.
    clinic = patient.clinic if patient else None
    # The patient's reactions so far, the previous session's above all, beside the next one; not
    # once another patient is chosen on the form.
    if patient and entry.form.is_bound and entry.form.data.get("session-patient") != str(patient.pk):
        patient = None
    history = reaction_history(patient=patient, up_to=series.previous if series else None) if patient else None
    context = {"entry": entry, "series": series, "history": history, "diagrams": diagram_figures()}
    return render_in_clinic_time(request, clinic, "recovery/session_form.html", context)
