"""Audit → Reportable events: the managers' list of their clinics' serious events, and the two things
they record of one: a report sent, or the judgement that it need not be."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.clocks import render_in_clinic_time
from clinics.forms import show_service_errors
from clinics.scoping import managed_clinic_ids_of, managed_clinics_of, require_manager

from . import selectors, services
from .forms import NotReportableForm, SubmissionForm


def reportable_events(request):
    require_manager(request.user)
    groups = selectors.reportable_events(clinic_ids=managed_clinic_ids_of(request.user))
    clinics = managed_clinics_of(request.user)
    context = {
        "open_events": groups[selectors.Status.OPEN],
        "reported_events": groups[selectors.Status.REPORTED],
        "not_reportable_events": groups[selectors.Status.NOT_REPORTABLE],
        "not_recorded_events": groups[selectors.Status.NOT_RECORDED],
        "show_clinic": len(clinics) > 1,
    }
    return render_in_clinic_time(
        request, clinics[0] if len(clinics) == 1 else None, "vigilance/reportable_events.html", context
    )


def _event(request, complication_id):
    require_manager(request.user)
    return selectors.managed_event(clinic_ids=managed_clinic_ids_of(request.user), complication_id=complication_id)


def _recorded_or_form(request, complication, form, record, done: str, template: str):
    if request.method == "POST" and form.is_valid():
        try:
            record(complication, form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("vigilance:reportable_events")
    context = {"complication": complication, "form": form, "pack_path": selectors.pack_path(complication.pk)}
    return render_in_clinic_time(request, complication.recovery.clinic, template, context)


@require_http_methods(["GET", "POST"])
def submission_create(request, complication_id):
    complication = _event(request, complication_id)
    return _recorded_or_form(
        request,
        complication,
        SubmissionForm(request.POST or None),
        lambda event, data: services.submission_record(complication=event, recorded_by=request.user, **data),
        _("Report recorded."),
        "vigilance/submission_form.html",
    )


@require_http_methods(["GET", "POST"])
def not_reportable_create(request, complication_id):
    complication = _event(request, complication_id)
    return _recorded_or_form(
        request,
        complication,
        NotReportableForm(request.POST or None),
        lambda event, data: services.not_reportable_judge(complication=event, judged_by=request.user, **data),
        _("Judged not reportable."),
        "vigilance/not_reportable_form.html",
    )
