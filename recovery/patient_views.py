"""The pages a patient opens from a check-in or guide link: no account, a phone, one question at a time."""

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import check_ins, guides, selectors
from .patient_forms import CheckInForm, CheckInRestForm
from .photo_forms import PhotoSlots, tell_refusals


def _private(response):
    # The link is the patient's key: never pass it on in a Referer, never cache the page.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


@contextmanager
def _as_the_patient_reads(session):
    """The patient's language and their clinic's clock, whatever the browser opening the link says."""
    with translation.override(session.patient.language_spoken), timezone.override(session.clinic.zone):
        yield


# No cookie or session authorises this form: the signed link does, and a forger would
# need the link itself. CSRF protection also cannot work here, as `no-referrer` makes
# the browser send "Origin: null" with the answers.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def check_in_view(request, clinic_id, token):
    try:
        check_in = check_ins.check_in_from_link(clinic_id=clinic_id, token=token)
    except check_ins.InvalidLink:
        return _invalid_link(request, clinic_id)
    except check_ins.ClosedLink as closed:
        with _as_the_patient_reads(closed.check_in.session):
            if not closed.answered:
                clinic = closed.check_in.session.clinic
                return _private(render(request, "recovery/patient/expired_link.html", {"clinic": clinic}))
            if request.FILES:
                # Sent again (the back button, a second tap) with photos the first answer did not have.
                messages.error(request, str(check_ins.PHOTOS_NOT_KEPT))
            return _private(_answered(request, closed.check_in))
    session = check_in.session
    with _as_the_patient_reads(session):
        form = CheckInForm(request.POST or None, clinic=session.clinic)
        photo_form = None
        if session.patient.consents_to_photos:
            photo_form = PhotoSlots(request.POST or None, request.FILES or None, session=session)
        # A red flag or "please call me" is never held back by another answer left out or mistyped:
        # what was answered is stored and acted on, and the gaps are asked for on the answer page.
        if request.method == "POST" and (form.is_valid() or form.has_urgent_answer()):
            entries = photo_form.entries() if photo_form else []
            answer = check_ins.check_in_answer(check_in=check_in, **form.answer_arguments(), photos=entries)
            if photo_form:
                tell_refusals(request, photo_form)
            if answer.photos_kept < len(entries):
                messages.error(request, str(check_ins.PHOTOS_NOT_KEPT))
            # Back to the same link, now answered: a refresh or a replay stores nothing more.
            return _private(redirect(request.path))
        context = {"form": form, "photo_form": photo_form, "clinic": session.clinic, "session": session}
        return _private(render(request, "recovery/patient/check_in.html", context))


def _invalid_link(request, clinic_id):
    """A link cut short by a text message still names its clinic: whom to call is shown all the same."""
    clinic = check_ins.clinic_of_link(clinic_id)
    with translation.override(clinic.language if clinic else None):
        return _private(render(request, "recovery/patient/invalid_link.html", {"clinic": clinic}, status=400))


# The same link answers the rest: a forger would need the link itself (see check_in above).
@csrf_exempt
@login_not_required
@require_POST
def check_in_rest(request, clinic_id, token):
    """What the stored answer left out, sent from the answer page while the link is open."""
    try:
        check_in = check_ins.check_in_from_link(clinic_id=clinic_id, token=token)
    except check_ins.InvalidLink:
        return _invalid_link(request, clinic_id)
    except check_ins.ClosedLink as closed:
        if not closed.answered:
            with _as_the_patient_reads(closed.check_in.session):
                context = {"clinic": closed.check_in.session.clinic}
                return _private(render(request, "recovery/patient/expired_link.html", context))
        check_in = closed.check_in
    else:
        return _private(redirect("recovery:check_in", clinic_id, token))
    session = check_in.session
    with _as_the_patient_reads(session):
        form = CheckInRestForm(request.POST, clinic=session.clinic, unanswered=check_in.report.unanswered)
        form.is_valid()
        arguments = form.rest_arguments()
        if any(arguments.values()):
            check_ins.check_in_rest_answer(check_in=check_in, **arguments)
            return _private(redirect("recovery:check_in", clinic_id, token))
        return _private(_answered(request, check_in, rest_form=form))


def _answered(request, check_in, rest_form=None):
    report = check_in.report
    flags = [a.question for a in report.red_flag_answers.select_related("question") if a.present]
    if rest_form is None and report.unanswered:
        rest_form = CheckInRestForm(clinic=check_in.session.clinic, unanswered=report.unanswered)
    return render(
        request,
        "recovery/patient/answered.html",
        {
            "clinic": check_in.session.clinic,
            "session": check_in.session,
            "rest_form": rest_form,
            "token": request.resolver_match.kwargs["token"],
            "emergency": any(q.emergency for q in flags),
            "red_flags": flags,
            "needs_clinician": report.needs_clinician,
            "wants_call": report.wants_call,
            "emergency_phone": check_in.session.clinic.emergency_phone,
        },
    )


@login_not_required
@require_safe
def guide(request, clinic_id, token):
    try:
        session = guides.guide_from_link(clinic_id=clinic_id, token=token)
    except check_ins.InvalidLink:
        return _invalid_link(request, clinic_id)
    except guides.ClosedGuide as closed:
        with _as_the_patient_reads(closed.session):
            return _private(render(request, "recovery/patient/guide_closed.html", {"clinic": closed.session.clinic}))
    with _as_the_patient_reads(session):
        context = {
            "clinic": session.clinic,
            "session": session,
            "guide": selectors.recovery_guide(session=session),
            "emergency_phone": session.clinic.emergency_phone,
        }
        return _private(render(request, "recovery/patient/guide.html", context))
