"""Photo pages: adding the session's own, opening one, comparing day by day, deleting one."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clinics.forms import show_service_errors
from clinics.scoping import managed_clinic_ids_of
from trail.services import record_view_log
from treatments.models import TreatmentSession

from . import photos
from .models import Photo
from .photo_forms import PhotoDeleteForm, PhotoSlots

log = logging.getLogger(__name__)

SESSION_PHOTO_SLOTS = 3


def _session(request, session_id) -> TreatmentSession:
    return get_object_or_404(
        TreatmentSession.objects.visible_to(request.user).select_related("clinic", "patient"), pk=session_id
    )


def _tell_refusals(request, form: PhotoSlots) -> None:
    for refusal in form.refusals():
        messages.error(request, refusal)


@require_http_methods(["GET", "POST"])
def session_photos_add(request, session_id):
    session = _session(request, session_id)
    form = PhotoSlots(
        request.POST or None, request.FILES or None, session=session, slots=SESSION_PHOTO_SLOTS, capture=True
    )
    if request.method == "POST":
        entries = form.entries()
        if entries:
            try:
                added = photos.session_photos_add(session=session, entries=entries, added_by=request.user)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("%(count)s photos added to the session.") % {"count": len(added)})
                _tell_refusals(request, form)
                return redirect(reverse("recovery:session_detail", args=[session.pk]) + "#photos-heading")
        elif not form.errors:
            form.add_error(None, _("Choose a photo to add."))
    context = {"session": session, "form": form, "consents": session.patient.consents_to_photos}
    return render(request, "recovery/photo_add.html", context)


@require_safe
def photo_file(request, photo_id, size="full"):
    """The picture itself, to staff of the patient's clinic only, never kept by a browser or proxy."""
    photo = get_object_or_404(Photo.objects.visible_to(request.user).select_related("session__patient"), pk=photo_id)
    record_view_log(user=request.user, patient=photo.session.patient, path=request.path)
    name = photo.thumbnail_name if size == "thumbnail" else photo.image_name
    try:
        stored = photos.photo_storage().open(name, "rb")
    except FileNotFoundError:
        log.error("Photo %s has a record but no file %s", photo.pk, name)
        raise Http404 from None
    response = FileResponse(stored, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.jpg"'
    return response


@require_safe
def photo_compare(request, session_id):
    session = _session(request, session_id)
    record_view_log(user=request.user, patient=session.patient, path=request.path)
    session_photos = photos.session_photos(session=session)
    areas = photos.areas_of(session_photos)
    chosen = request.GET.get("area") or (areas[0][0] if areas else "")
    if areas and chosen not in dict(areas):
        raise Http404
    context = {
        "session": session,
        "areas": areas,
        "chosen": chosen,
        "days": photos.photo_days(session=session, photos=session_photos, area=chosen) if areas else [],
    }
    return render(request, "recovery/photo_compare.html", context)


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
            photos.photo_delete(photo=photo, deleted_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Photo deleted. The trail keeps who deleted it, when and why."))
            return redirect(reverse("recovery:session_detail", args=[photo.session_id]) + "#photos-heading")
    return render(request, "recovery/photo_delete.html", {"photo": photo, "session": photo.session, "form": form})
