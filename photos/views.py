"""Photo pages: adding the session's own, opening one, comparing day by day, deleting one."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from clinics.clocks import render_in_clinic_time
from clinics.forms import show_service_errors
from clinics.scoping import managed_clinic_ids_of
from trail.services import record_view_log
from treatments.models import TreatmentSession

from . import selectors, services, uploads
from .forms import PhotoDeleteForm, PhotoSlots, tell_outcomes, tell_refusals
from .models import Photo, UploadState

log = logging.getLogger(__name__)


def visible_session(request, session_id) -> TreatmentSession:
    return get_object_or_404(
        TreatmentSession.objects.visible_to(request.user).select_related("clinic", "patient"), pk=session_id
    )


@require_http_methods(["GET", "POST"])
def session_photos_add(request, session_id):
    session = visible_session(request, session_id)
    consents = session.patient.consents_to_photos
    form = PhotoSlots(request.POST or None, request.FILES or None, session=session, capture=True)
    # Without consent the page says so, and nothing sent is even opened.
    if request.method == "POST" and consents:
        received = form.received()
        if received:
            try:
                sent = uploads.session_photos_receive(session=session, received=received, added_by=request.user)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                added = sum(upload.state == UploadState.KEPT for upload in sent)
                if added:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s photo added to the session.", "%(count)s photos added to the session.", added
                        )
                        % {"count": added},
                    )
                tell_refusals(request, form)
                tell_outcomes(request, sent)
                return redirect(reverse("photos:session_detail", args=[session.pk]) + "#photos-heading")
        elif not form.errors:
            form.add_error(None, _("Choose a photo to add."))
    context = {"session": session, "form": form, "consents": consents}
    return render_in_clinic_time(request, session.clinic, "photos/photo_add.html", context)


@require_safe
def photo_file(request, photo_id, size="full"):
    """The picture itself, to staff of the patient's clinic only, never kept by a browser or proxy."""
    photo = get_object_or_404(Photo.objects.visible_to(request.user).select_related("session__patient"), pk=photo_id)
    if size == "thumbnail":
        # Thumbnails are drawn only into pages whose own opening is in the trail (the session page):
        # one entry per page, not one per thumbnail on it.
        name = photo.thumbnail_name
    else:
        record_view_log(user=request.user, patient=photo.session.patient, path=request.path)
        name = photo.image_name
    try:
        stored = services.photo_storage().open(name, "rb")
    except FileNotFoundError:
        log.error("Photo %s has a record but no file %s", photo.pk, name)
        raise Http404 from None
    response = FileResponse(stored, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.jpg"'
    return response


@require_safe
def photo_compare(request, session_id):
    session = visible_session(request, session_id)
    record_view_log(user=request.user, patient=session.patient, path=request.path)
    session_photos = selectors.session_photos(session=session)
    areas = selectors.areas_of(session_photos)
    chosen = request.GET.get("area") or (areas[0][0] if areas else "")
    if areas and chosen not in dict(areas):
        raise Http404
    context = {
        "session": session,
        "areas": areas,
        "chosen": chosen,
        "days": selectors.photo_days(session=session, photos=session_photos, area=chosen) if areas else [],
    }
    return render_in_clinic_time(request, session.clinic, "photos/photo_compare.html", context)


@require_http_methods(["GET", "POST"])
def photo_delete(request, photo_id):
    photo = get_object_or_404(
        Photo.objects.visible_to(request.user).select_related("session__clinic", "report"), pk=photo_id
    )
    if photo.session.clinic_id not in managed_clinic_ids_of(request.user):
        raise PermissionDenied
    form = PhotoDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_delete(photo=photo, deleted_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Photo deleted. The trail keeps who deleted it, when and why."))
            return redirect(reverse("photos:session_detail", args=[photo.session_id]) + "#photos-heading")
    context = {"photo": photo, "session": photo.session, "form": form}
    return render_in_clinic_time(request, photo.session.clinic, "photos/photo_delete.html", context)
