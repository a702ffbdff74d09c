"""The pages a patient opens from a check-in or guide link: no account, a phone, one question at a time."""

from contextlib import contextmanager

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from photos import uploads as photo_uploads
from photos.forms import PhotoSlots
from recovery import selectors
from treatments import chart_marking

from . import guides
from . import services as check_ins
from .forms import CheckInForm, CheckInRestForm


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


def _too_many_posts(request, check_in) -> bool:
    """Counts this POST against the link's allowance: a few answers and photo sends an hour."""
    return is_ratelimited(
        request,
        group="check-in-posts",
        key=lambda _group, _request: str(check_in.pk),
        rate=settings.CHECK_IN_POST_RATE,
        increment=True,
    )


def _slow_down(request, check_in):
    """The kind refusal: whatever was stored stays, and the clinic is a call away."""
    context = {
        "clinic": check_in.session.clinic,
        "answered": check_in.report_id is not None,
        "emergency_phone": check_in.session.clinic.emergency_phone,
    }
    return _private(render(request, "checkins/slow_down.html", context, status=429))


def _invalid_link(request, clinic_id):
    """A link cut short by a text message still names its clinic: whom to call is shown all the same."""
    clinic = check_ins.clinic_of_link(clinic_id)
    with translation.override(clinic.language if clinic else None):
        return _private(render(request, "checkins/invalid_link.html", {"clinic": clinic}, status=400))


def _link_still_open(request, clinic_id, token):
    """The check-in of a link still open, answered or not; or the page saying why it cannot be used."""
    try:
        return check_ins.check_in_from_link(clinic_id=clinic_id, token=token), None
    except check_ins.InvalidLink:
        return None, _invalid_link(request, clinic_id)
    except check_ins.ClosedLink as closed:
        if not closed.answered:
            return None, _expired(request, closed.check_in)
        return closed.check_in, None


def _expired(request, check_in):
    with _as_the_patient_reads(check_in.session):
        return _private(render(request, "checkins/expired_link.html", {"clinic": check_in.session.clinic}))


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
        if not closed.answered:
            return _expired(request, closed.check_in)
        with _as_the_patient_reads(closed.check_in.session):
            if request.method == "POST":
                if _too_many_posts(request, closed.check_in):
                    return _slow_down(request, closed.check_in)
                _photos_sent_with_the_answers(request, closed.check_in)
            return _private(_answered(request, closed.check_in, token))
    session = check_in.session
    with _as_the_patient_reads(session):
        treated = chart_marking.treated_areas(session=session)
        form = CheckInForm(request.POST or None, clinic=session.clinic, treated_areas=treated)
        if request.method == "POST":
            limited = _too_many_posts(request, check_in)
            # A first answer is always stored, whatever came before it. A red flag or "please call me"
            # is never held back by another answer left out or mistyped: what was answered is stored and
            # acted on, and the gaps are asked for on the answer page.
            if form.is_valid() or form.has_urgent_answer():
                check_ins.check_in_answer(check_in=check_in, **form.answer_arguments())
                _photos_sent_with_the_answers(request, check_in)
                # Back to the same link, now answered: the advice first, then photos may be added.
                return _private(redirect(request.path))
            if limited:
                return _slow_down(request, check_in)
        context = {
            "form": form,
            "clinic": session.clinic,
            "session": session,
            "marking": chart_marking.marking_diagrams(session=session, drawn=False),
            "drawings_url": _drawings_url(),
        }
        return _private(render(request, "checkins/check_in.html", context))


def _drawings_url() -> str:
    language = translation.get_language()
    _markup, version = chart_marking.marking_drawings(language)
    return reverse("checkins:drawings", args=[language, version])


@login_not_required
@require_safe
def drawings(request, language, version):
    """The chart's drawings a check-in page's script puts in place: nothing of any patient, the same for
    everyone reading the language, so kept by the browser for as long as this version is served."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    markup, current = chart_marking.marking_drawings(language)
    response = HttpResponse(markup)
    if version == current:
        patch_cache_control(response, public=True, max_age=365 * 24 * 60 * 60, immutable=True)
    else:
        add_never_cache_headers(response)
    return response


def _photos_sent_with_the_answers(request, check_in) -> None:
    """A page from before photos were sent apart from the answers: they are not opened, and the
    patient who may send photos is asked to add them on the answered page."""
    if request.FILES and check_in.session.patient.consents_to_photos:
        messages.error(request, str(check_ins.PHOTOS_NOT_KEPT))


# The same link answers the rest: a forger would need the link itself (see check_in_view above).
@csrf_exempt
@login_not_required
@require_POST
def check_in_rest(request, clinic_id, token):
    """What the stored answer left out, sent from the answer page while the link is open."""
    check_in, refused = _link_still_open(request, clinic_id, token)
    if refused:
        return refused
    if check_in.report_id is None:
        return _private(redirect("checkins:check_in", clinic_id, token))
    session = check_in.session
    with _as_the_patient_reads(session):
        if _too_many_posts(request, check_in):
            return _slow_down(request, check_in)
        form = CheckInRestForm(
            request.POST,
            clinic=session.clinic,
            unanswered=check_in.report.unanswered,
            treated_areas=chart_marking.treated_areas(session=session),
        )
        form.is_valid()
        arguments = form.rest_arguments()
        if any(arguments.values()):
            check_ins.check_in_rest_answer(check_in=check_in, **arguments)
            return _private(redirect("checkins:check_in", clinic_id, token))
        return _private(_answered(request, check_in, token, rest_form=form))


def _answered(request, check_in, token, rest_form=None):
    report = check_in.report
    session = check_in.session
    flags = [a.question for a in report.red_flag_answers.select_related("question") if a.present]
    marked = selectors.marked_alerts(report=report)
    if rest_form is None and report.unanswered:
        rest_form = CheckInRestForm(
            clinic=session.clinic,
            unanswered=report.unanswered,
            treated_areas=chart_marking.treated_areas(session=session),
        )
    photo_form = None
    if session.patient.consents_to_photos and photo_uploads.report_has_room(report=report):
        photo_form = PhotoSlots(session=session)
    return render(
        request,
        "checkins/answered.html",
        {
            "clinic": session.clinic,
            "session": session,
            "rest_form": rest_form,
            "marking": chart_marking.marking_diagrams(session=session, drawn=False) if rest_form else [],
            "drawings_url": _drawings_url(),
            "token": token,
            "emergency": marked.emergency or any(q.emergency for q in flags),
            "red_flags": flags,
            "marked_beyond": marked.call_now,
            "colour_near_the_eye": marked.emergency,
            "needs_clinician": report.needs_clinician,
            "wants_call": report.wants_call,
            "emergency_phone": session.clinic.emergency_phone,
            "photos": photo_uploads.uploads_summary(report=report),
            "photo_form": photo_form,
            "photos_url": reverse("checkins:check_in_photos", args=[session.clinic_id, token]),
        },
    )


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def check_in_photos(request, clinic_id, token):
    """Photos sent from the answered page: received as they are, processed by a worker, and the
    patient back on the answered page, which says what became of them."""
    check_in, refused = _link_still_open(request, clinic_id, token)
    if refused:
        return refused
    link = reverse("checkins:check_in", args=[clinic_id, token])
    # Not answered yet (the answers come first), or opened rather than sent: the link's own page.
    if request.method != "POST" or check_in.report_id is None:
        return _private(redirect(link))
    session = check_in.session
    with _as_the_patient_reads(session):
        if _too_many_posts(request, check_in):
            return _slow_down(request, check_in)
        form = PhotoSlots(request.POST, request.FILES, session=session)
        received, refused = form.received(), form.refused()
        if not received and not refused:
            messages.error(request, _("Choose a photo to send."))
        else:
            # What became of each photo, refused here or by the worker later, the page lists under
            # "Photos", where this leads back to.
            try:
                photo_uploads.check_in_photos_add(check_in=check_in, received=received, refused=refused)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
        return _private(redirect(link + "#photos"))


@login_not_required
@require_safe
def guide(request, clinic_id, token):
    try:
        session = guides.guide_from_link(clinic_id=clinic_id, token=token)
    except check_ins.InvalidLink:
        return _invalid_link(request, clinic_id)
    except guides.ClosedGuide as closed:
        with _as_the_patient_reads(closed.session):
            return _private(render(request, "checkins/guide_closed.html", {"clinic": closed.session.clinic}))
    with _as_the_patient_reads(session):
        context = {
            "clinic": session.clinic,
            "session": session,
            "guide": selectors.recovery_guide(session=session),
            "emergency_phone": session.clinic.emergency_phone,
        }
        return _private(render(request, "checkins/guide.html", context))
