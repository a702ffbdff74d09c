"""The report pack of a confirmed complication, for the managers of its clinic: the details form,
each regulator's form to copy from, and its printable PDF. Every page opened is written to the trail."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.clocks import render_in_clinic_time
from clinics.forms import show_service_errors
from trail.services import record_view_log

from . import forms_uk, forms_us
from .details_form import EventDetailsForm
from .narrative import narrative_of
from .pack import complication_for_pack, facts_of
from .pack_services import event_details_save
from .pdf import pdf_from_template
from .regulator_forms import BUILDERS, report_form


def _date_format(clinic) -> str:
    # The clinic's own country's order of day and month, on the pack page read by its staff.
    return forms_us.DATE_FORMAT if clinic.country == "US" else forms_uk.DATE_FORMAT


@require_http_methods(["GET", "POST"])
def pack(request, complication_id):
    complication = complication_for_pack(user=request.user, complication_id=complication_id)
    session = complication.recovery.session
    form = EventDetailsForm(request.POST or None, instance=complication.details)
    if request.method == "POST" and form.is_valid():
        try:
            event_details_save(complication=complication, values=form.cleaned_data, updated_by=request.user)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The details are saved: every form now carries them."))
            return redirect("vigilance:pack", complication.pk)
    record_view_log(user=request.user, patient=session.patient, path=request.path)
    facts = facts_of(complication, reporter=request.user)
    context = {
        "complication": complication,
        "session": session,
        "facts": facts,
        "form": form,
        "narrative": narrative_of(facts, date_format=_date_format(session.clinic)),
        "forms": [report_form(facts, code) for code in BUILDERS],
    }
    return render_in_clinic_time(request, session.clinic, "vigilance/pack.html", context)


def form_copy(request, complication_id, code):
    complication = complication_for_pack(user=request.user, complication_id=complication_id)
    session = complication.recovery.session
    report = report_form(facts_of(complication, reporter=request.user), code)
    record_view_log(user=request.user, patient=session.patient, path=request.path)
    context = {"complication": complication, "report": report}
    return render_in_clinic_time(request, session.clinic, "vigilance/form_copy.html", context)


def form_pdf(request, complication_id, code):
    complication = complication_for_pack(user=request.user, complication_id=complication_id)
    session = complication.recovery.session
    report = report_form(facts_of(complication, reporter=request.user), code)
    record_view_log(user=request.user, patient=session.patient, path=request.path)
    # The PDF's own words in its form's language, as the form's labels are.
    with translation.override(report.language):
        pdf = pdf_from_template("vigilance/form_pdf.html", {"report": report, "complication": complication})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-event-{complication.pk}.pdf"'
    return response
