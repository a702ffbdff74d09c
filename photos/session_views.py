"""The session's page and the staff's report form, which show and take photos beside the recovery:
composed here, above the recovery app, as a page that spans two apps is."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.clocks import render_in_clinic_time
from clinics.scoping import managed_clinic_ids_of
from recovery import selectors as recovery_selectors
from recovery.forms import FollowUpForm, ReportEntry
from recovery.models import Recovery
from trail.services import record_view_log
from treatments import chart_display, chart_marking
from treatments import selectors as treatment_selectors

from . import selectors, uploads
from .forms import PhotoSlots, tell_outcomes, tell_refusals
from .views import visible_session


def session_detail(request, session_id):
    session = get_object_or_404(treatment_selectors.session_detail_queryset(user=request.user), pk=session_id)
    record_view_log(user=request.user, patient=session.patient, path=request.path)
    panel = recovery_selectors.recovery_panel(session=session, now=timezone.now())
    gallery = selectors.photo_gallery(session=session, reports=panel["reports"])
    marks = recovery_selectors.session_marks(session=session, reports=panel["reports"])
    chart = chart_display.session_chart(session=session, marks=marks)
    manages_clinic = session.clinic_id in managed_clinic_ids_of(request.user)
    context = {
        "session": session,
        "call_form": FollowUpForm(),
        "gallery": gallery,
        "chart": chart,
        "beside_the_chart": selectors.beside_the_chart(gallery=gallery, chart=chart),
        "can_delete_photos": manages_clinic,
        "can_report_events": manages_clinic,
        **panel,
    }
    return render_in_clinic_time(request, session.clinic, "photos/session_detail.html", context)


@require_http_methods(["GET", "POST"])
def report_create(request, session_id):
    session = visible_session(request, session_id)
    get_object_or_404(Recovery, session=session)
    entry = ReportEntry(request.POST or None, session=session)
    photo_form = None
    if session.patient.consents_to_photos:
        photo_form = PhotoSlots(request.POST or None, request.FILES or None, session=session)
    if request.method == "POST" and entry.is_valid():
        try:
            _report, sent = uploads.staff_report_create(
                **entry.service_arguments(),
                received=photo_form.received() if photo_form else [],
                recorded_by=request.user,
            )
        except ValidationError as error:
            entry.add_service_errors(error)
        else:
            messages.success(request, _("Report recorded."))
            if photo_form:
                tell_refusals(request, photo_form)
                tell_outcomes(request, sent)
            return redirect(session)
    context = {
        "session": session,
        "entry": entry,
        "photo_form": photo_form,
        "marking": chart_marking.marking_diagrams(session=session),
    }
    return render_in_clinic_time(request, session.clinic, "photos/report_form.html", context)
